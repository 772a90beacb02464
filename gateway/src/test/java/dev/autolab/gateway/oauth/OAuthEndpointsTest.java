package dev.autolab.gateway.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.Http;
import dev.autolab.gateway.web.SessionCookie;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The OAuth 2.0 device grant at the wire (RFC 8414 metadata, RFC 8628, RFC 6749 §5 errors), against a
 * fake DeviceService: every error's status, name, description and no-store header, and the form
 * parsing that must refuse before auth-service is asked.
 */
@QuarkusTest
@WithTestResource(FakeDeviceService.class)
class OAuthEndpointsTest {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String DEVICE_GRANT = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return Http.send("POST", path, body, "content-type", FORM);
    }

    private static HttpResponse<String> poll(String deviceCode) throws Exception {
        return post("/oauth/token", DEVICE_GRANT + "&client_id=autolab-cli&device_code=" + deviceCode);
    }

    /** Asserts an RFC 6749 §5.2 error answer, uncacheable, and returns its body. */
    private static JsonObject assertError(HttpResponse<String> reply, int status, String error, String description) {
        assertEquals(status, reply.statusCode(), reply.body());
        assertEquals(
                "no-store",
                reply.headers().firstValue("cache-control").orElse(""),
                reply.headers().toString());
        assertEquals("no-cache", reply.headers().firstValue("pragma").orElse(""));
        assertTrue(
                reply.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                reply.headers().toString());
        JsonObject body = new JsonObject(reply.body());
        assertEquals(error, body.getString("error"), reply.body());
        assertEquals(description, body.getString("error_description"), reply.body());
        assertEquals(2, body.size(), "only error and error_description: " + reply.body());
        return body;
    }

    @Test
    void metadataNamesTheEndpointsUnderThePublicUrl() throws Exception {
        HttpResponse<String> reply = Http.send("GET", "/.well-known/oauth-authorization-server", null);
        assertEquals(200, reply.statusCode(), reply.body());
        assertTrue(reply.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonObject expected = new JsonObject()
                .put("issuer", "http://localhost:8080")
                .put("device_authorization_endpoint", "http://localhost:8080/oauth/device_authorization")
                .put("token_endpoint", "http://localhost:8080/oauth/token")
                .put("grant_types_supported", new JsonArray().add("urn:ietf:params:oauth:grant-type:device_code"))
                .put("response_types_supported", new JsonArray())
                .put("token_endpoint_auth_methods_supported", new JsonArray().add("none"))
                .put("scopes_supported", new JsonArray().add("autolab"));
        assertEquals(expected, new JsonObject(reply.body()));
    }

    @Test
    void theDeviceAuthorizationAnswersTheCodesAndForwardsClientMachineAndAddress() throws Exception {
        HttpResponse<String> reply =
                post("/oauth/device_authorization", "client_id=autolab-cli&scope=autolab&device_name=gpu-box.lab");
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals("no-store", reply.headers().firstValue("cache-control").orElse(""));
        JsonObject expected = new JsonObject()
                .put("device_code", "dc-secret")
                .put("user_code", "ABCD-EFGH")
                .put("verification_uri", "http://localhost:8080/device")
                .put("verification_uri_complete", "http://localhost:8080/device?code=ABCD-EFGH")
                .put("expires_in", 600)
                .put("interval", 5);
        assertEquals(expected, new JsonObject(reply.body()));
        assertEquals("autolab-cli", FakeDeviceService.LAST_CODE_REQUEST.get().getClientId());
        assertEquals("gpu-box.lab", FakeDeviceService.LAST_CODE_REQUEST.get().getClientName());
        // The client's address goes along, so auth-service's per-address limit counts this path too.
        assertEquals("127.0.0.1", FakeDeviceService.lastForwardedFor());
        assertNull(FakeDeviceService.lastAuthorization());
    }

    @Test
    void withoutADeviceNameAuthServiceIsToldNone() throws Exception {
        assertEquals(
                200,
                post("/oauth/device_authorization", "client_id=test-editor").statusCode());
        assertEquals("", FakeDeviceService.LAST_CODE_REQUEST.get().getClientName());
    }

    @Test
    void anUnknownClientIsInvalidClientAt400OnBothEndpoints() throws Exception {
        assertError(
                post("/oauth/device_authorization", "client_id=evil-app"),
                400,
                "invalid_client",
                "no client 'evil-app' is registered with this Autolab");
        assertError(
                post("/oauth/token", DEVICE_GRANT + "&client_id=nobody&device_code=pending"),
                400,
                "invalid_client",
                "no such client");
    }

    @Test
    void clientCredentialsInTheAuthorizationHeaderAreInvalidClientAt401() throws Exception {
        int before = FakeDeviceService.CALLS.get();
        for (String path : new String[] {"/oauth/device_authorization", "/oauth/token"}) {
            HttpResponse<String> reply = Http.send(
                    "POST",
                    path,
                    DEVICE_GRANT + "&client_id=autolab-cli&device_code=pending",
                    "content-type",
                    FORM,
                    "authorization",
                    "Basic YXV0b2xhYi1jbGk6c2VjcmV0");
            assertError(
                    reply,
                    401,
                    "invalid_client",
                    "Autolab's clients are public: send client_id in the form and no Authorization header");
            assertEquals(
                    "Basic realm=\"autolab\"",
                    reply.headers().firstValue("www-authenticate").orElse(""));
        }
        assertEquals(before, FakeDeviceService.CALLS.get(), "refused before auth-service");
    }

    @Test
    void eachPollRefusalIsItsRfc8628ErrorAt400() throws Exception {
        assertError(
                poll("pending"), 400, "authorization_pending", "waiting for the sign-in to be approved in the browser");
        assertError(poll("fast"), 400, "slow_down", "polling too fast; wait 5 s more between polls");
        assertError(poll("denied"), 400, "access_denied", "the sign-in was denied in the browser");
        assertError(
                poll("expired"),
                400,
                "expired_token",
                "the sign-in request expired before it was approved; run `autolab login` again");
        assertError(
                poll("no-such-code"), 400, "invalid_grant", "unknown device code; start again with `autolab login`");
        assertEquals("autolab-cli", FakeDeviceService.LAST_POLL.get().getClientId());
    }

    @Test
    void anApprovedPollIsTheBearerToken() throws Exception {
        HttpResponse<String> reply = poll("approved");
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals("no-store", reply.headers().firstValue("cache-control").orElse(""));
        assertEquals("no-cache", reply.headers().firstValue("pragma").orElse(""));
        assertEquals(
                new JsonObject()
                        .put("access_token", FakeDeviceService.TOKEN)
                        .put("token_type", "Bearer")
                        .put("scope", "autolab"),
                new JsonObject(reply.body()));
        JsonObject expiring = new JsonObject(poll("approved-expiring").body());
        assertEquals(86_400, expiring.getLong("expires_in"));
    }

    @Test
    void grantTypesOtherThanTheDeviceCodeAreUnsupported() throws Exception {
        assertError(
                post("/oauth/token", "grant_type=authorization_code&client_id=autolab-cli&code=x"),
                400,
                "unsupported_grant_type",
                "this server grants tokens for the device flow only (grant_type"
                        + " urn:ietf:params:oauth:grant-type:device_code)");
    }

    @Test
    void missingParametersAreInvalidRequest() throws Exception {
        int before = FakeDeviceService.CALLS.get();
        assertError(
                post("/oauth/token", "client_id=autolab-cli&device_code=pending"),
                400,
                "invalid_request",
                "grant_type is required: urn:ietf:params:oauth:grant-type:device_code");
        assertError(
                post("/oauth/token", DEVICE_GRANT + "&device_code=pending"),
                400,
                "invalid_request",
                "client_id is required (the client that asked for the device code)");
        assertError(
                post("/oauth/token", DEVICE_GRANT + "&client_id=autolab-cli"),
                400,
                "invalid_request",
                "device_code is required (from the device authorization response)");
        // A parameter without a value counts as absent (RFC 6749 §3.1).
        assertError(
                post("/oauth/token", DEVICE_GRANT + "&client_id=autolab-cli&device_code="),
                400,
                "invalid_request",
                "device_code is required (from the device authorization response)");
        assertError(
                post("/oauth/device_authorization", "scope=autolab"),
                400,
                "invalid_request",
                "client_id is required (the Autolab CLI is autolab-cli)");
        assertError(
                post("/oauth/device_authorization", ""),
                400,
                "invalid_request",
                "client_id is required (the Autolab CLI is autolab-cli)");
        assertEquals(before, FakeDeviceService.CALLS.get(), "refused before auth-service");
    }

    @Test
    void anUnknownScopeIsInvalidScope() throws Exception {
        assertError(
                post("/oauth/device_authorization", "client_id=autolab-cli&scope=autolab+openid"),
                400,
                "invalid_scope",
                "unknown scope openid; the one scope is autolab (everything the signing-in user may do)");
    }

    @Test
    void aParameterSentTwiceIsInvalidRequest() throws Exception {
        int before = FakeDeviceService.CALLS.get();
        assertError(
                post("/oauth/device_authorization", "client_id=autolab-cli&client_id=evil-app"),
                400,
                "invalid_request",
                "client_id is given more than once; send each parameter once");
        assertError(
                post("/oauth/token", DEVICE_GRANT + "&client_id=autolab-cli&device_code=a&device_code=b"),
                400,
                "invalid_request",
                "device_code is given more than once; send each parameter once");
        assertEquals(before, FakeDeviceService.CALLS.get(), "refused before auth-service");
        // An empty one is absent, so it does not count twice.
        assertEquals(
                200,
                post("/oauth/device_authorization", "client_id=&client_id=autolab-cli")
                        .statusCode());
    }

    @Test
    void onlyAUtf8FormBodyIsRead() throws Exception {
        int before = FakeDeviceService.CALLS.get();
        String expected =
                "send the parameters form-encoded, with content-type application/x-www-form-urlencoded" + " (UTF-8)";
        assertError(
                Http.send(
                        "POST",
                        "/oauth/device_authorization",
                        "{\"client_id\":\"autolab-cli\"}",
                        "content-type",
                        "application/json"),
                400,
                "invalid_request",
                expected);
        assertError(
                Http.send("POST", "/oauth/device_authorization", "client_id=autolab-cli"),
                400,
                "invalid_request",
                expected);
        assertError(
                Http.send(
                        "POST",
                        "/oauth/device_authorization",
                        "client_id=autolab-cli",
                        "content-type",
                        FORM + "; charset=ISO-8859-1"),
                400,
                "invalid_request",
                expected);
        assertError(
                post("/oauth/device_authorization", "client_id=autolab%2"),
                400,
                "invalid_request",
                "the form body has a '%' not followed by two hex digits");
        assertError(
                post("/oauth/device_authorization", "client_id=autolab%zz"),
                400,
                "invalid_request",
                "the form body has a '%' not followed by two hex digits");
        assertError(
                post("/oauth/device_authorization", "client_id=%FF%FE"),
                400,
                "invalid_request",
                "the form body is not UTF-8");
        assertError(
                post("/oauth/device_authorization", "client_id=autolab-cli%00"),
                400,
                "invalid_request",
                "a form parameter contains a control character");
        assertError(
                post("/oauth/device_authorization", "=autolab-cli"),
                400,
                "invalid_request",
                "a form parameter has no name");
        assertEquals(before, FakeDeviceService.CALLS.get(), "refused before auth-service");
        // Any case and a UTF-8 charset are a form all the same.
        assertEquals(
                200,
                Http.send(
                                "POST",
                                "/oauth/device_authorization",
                                "client_id=autolab-cli",
                                "content-type",
                                "Application/X-WWW-Form-URLEncoded; charset=UTF-8")
                        .statusCode());
    }

    @Test
    void parametersInTheUrlAreRefused() throws Exception {
        assertError(
                post("/oauth/token?device_code=pending", DEVICE_GRANT + "&client_id=autolab-cli"),
                400,
                "invalid_request",
                "send the parameters in the form body, not in the URL");
    }

    @Test
    void aHugeBodyIs413WithoutBeingRead() throws Exception {
        int before = FakeDeviceService.CALLS.get();
        HttpResponse<String> reply =
                post("/oauth/device_authorization", "client_id=autolab-cli&x=" + "a".repeat(64 * 1024));
        assertError(reply, 413, "invalid_request", "request body over 8192 bytes");
        assertEquals(before, FakeDeviceService.CALLS.get());
    }

    @Test
    void onlyPostIsAllowed() throws Exception {
        HttpResponse<String> reply = Http.send("GET", "/oauth/token?grant_type=x", null);
        assertError(reply, 405, "invalid_request", "use POST with a form body");
        assertEquals("POST", reply.headers().firstValue("allow").orElse(""));
    }

    @Test
    void tooManyCodesFromOneAddressIsSlowDownAt429() throws Exception {
        assertError(
                post("/oauth/device_authorization", "client_id=flooder"),
                429,
                "slow_down",
                "too many sign-in requests from this address; try again in 2 s");
    }

    @Test
    void anInvalidDeviceNameIsInvalidRequestWithAuthServicesReason() throws Exception {
        assertError(
                post("/oauth/device_authorization", "client_id=autolab-cli&device_name=my+box%21"),
                400,
                "invalid_request",
                "'my box!' is not a valid client name");
    }

    @Test
    void authServiceDownIsTemporarilyUnavailable() throws Exception {
        assertError(
                poll("down"),
                503,
                "temporarily_unavailable",
                "auth-service cannot reach its database right now; try again in a few seconds");
    }

    @Test
    void theJsonRouteStaysForCompatibilityAndSendsNoClientId() throws Exception {
        HttpResponse<String> reply = Http.send(
                "POST", "/v1/device/code", "{\"clientName\":\"old-cli\"}", "content-type", "application/json");
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals("", FakeDeviceService.LAST_CODE_REQUEST.get().getClientId());
        assertEquals("old-cli", FakeDeviceService.LAST_CODE_REQUEST.get().getClientName());
    }

    @Test
    void theApprovalPageNamesTheRegisteredProgramAndTheMachine() throws Exception {
        HttpResponse<String> page =
                Http.send("GET", "/device?code=ABCD-EFGH", null, "cookie", SessionCookie.NAME + "=als_fakesession");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(
                page.body()
                        .contains("<dt>Program</dt><dd>Test &lt;Editor&gt; <span class=\"muted\">(client"
                                + " test-editor)</span></dd>"),
                page.body());
        assertTrue(page.body().contains("<dt>Machine</dt><dd>gpu-box</dd>"), page.body());
        assertFalse(page.body().contains("<Editor>"));
    }
}
