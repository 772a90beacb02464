package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;

/**
 * Sign-in with an OAuth 2.0 library that is not ours (Nimbus oauth2-oidc-sdk), given only the gateway's
 * URL and the client id {@code autolab-cli}: discovery (RFC 8414), device authorization and polling
 * through authorization_pending and slow_down (RFC 8628), approval in the "browser" (the session API),
 * the access token, and an API call with it. Then the refusals a library sees, parsed by the library.
 */
class OAuthDeviceGrantTest {
    private static final ClientID CLI = new ClientID("autolab-cli");

    private static AuthorizationServerMetadata discover() throws Exception {
        return AuthorizationServerMetadata.resolve(new Issuer(Suite.url()));
    }

    private static DeviceAuthorizationSuccessResponse deviceCode(
            AuthorizationServerMetadata server, ClientID client, String machine) throws Exception {
        DeviceAuthorizationResponse answer =
                DeviceAuthorizationResponse.parse(new DeviceAuthorizationRequest.Builder(client)
                        .endpointURI(server.getDeviceAuthorizationEndpointURI())
                        .customParameter("device_name", machine)
                        .build()
                        .toHTTPRequest()
                        .send());
        assertTrue(
                answer.indicatesSuccess(),
                () -> String.valueOf(answer.toErrorResponse().getErrorObject()));
        return answer.toSuccessResponse();
    }

    private static TokenResponse poll(AuthorizationServerMetadata server, DeviceCode code) throws Exception {
        return TokenResponse.parse(new TokenRequest(server.getTokenEndpointURI(), CLI, new DeviceCodeGrant(code))
                .toHTTPRequest()
                .send());
    }

    private static ErrorObject error(TokenResponse response) {
        assertFalse(response.indicatesSuccess(), "the poll succeeded");
        return response.toErrorResponse().getErrorObject();
    }

    @Test
    void aLibraryDiscoversSignsInPollsAndCallsTheApi() throws Exception {
        String handle = Rest.signUp("nimbus");
        AuthorizationServerMetadata server = discover();
        assertEquals(Suite.url(), server.getIssuer().getValue());
        assertEquals(URI.create(Suite.url() + "/oauth/token"), server.getTokenEndpointURI());
        assertEquals(List.of(GrantType.DEVICE_CODE), server.getGrantTypes());

        DeviceAuthorizationSuccessResponse code = deviceCode(server, CLI, "nimbus-box");
        assertTrue(
                code.getUserCode().getValue().matches("[A-Z]{4}-[A-Z]{4}"),
                code.getUserCode().getValue());
        assertEquals(URI.create(Suite.url() + "/device"), code.getVerificationURI());
        assertEquals(
                URI.create(Suite.url() + "/device?code=" + code.getUserCode().getValue()),
                code.getVerificationURIComplete());
        long interval = code.getInterval();
        assertTrue(interval >= 1, "interval " + interval);

        // Polled before anyone approved: pending; polled again at once: too fast.
        ErrorObject pending = error(poll(server, code.getDeviceCode()));
        assertEquals("authorization_pending", pending.getCode());
        assertEquals(400, pending.getHTTPStatusCode());
        ErrorObject tooFast = error(poll(server, code.getDeviceCode()));
        assertEquals("slow_down", tooFast.getCode());
        assertEquals(400, tooFast.getHTTPStatusCode());

        // The approval page's view of the request names the registered program and the machine.
        String session = Rest.session(handle);
        JsonNode asked = Rest.send(
                        "GET",
                        "/v1/device/requests/" + code.getUserCode().getValue(),
                        null,
                        "authorization",
                        Rest.bearer(session))
                .json();
        assertEquals("Autolab CLI", asked.path("clientDisplayName").asText(), asked.toString());
        assertEquals("autolab-cli", asked.path("clientId").asText(), asked.toString());
        assertEquals("nimbus-box", asked.path("clientName").asText(), asked.toString());
        assertEquals(200, Rest.approve(session, code.getUserCode().getValue()).status());

        // RFC 8628 §3.5: after slow_down the client waits interval + 5 s; the real clock runs here.
        Thread.sleep((interval + 5) * 1000);
        TokenResponse granted = poll(server, code.getDeviceCode());
        assertTrue(granted.indicatesSuccess(), () -> String.valueOf(error(granted)));
        AccessTokenResponse tokens = granted.toSuccessResponse();
        AccessToken token = tokens.getTokens().getBearerAccessToken();
        assertTrue(token.getValue().matches("al_[0-9A-Za-z]{36}"), "a login token");
        assertEquals("autolab", token.getScope().toString());

        HTTPRequest whoami = new HTTPRequest(HTTPRequest.Method.GET, URI.create(Suite.url() + "/v1/whoami"));
        whoami.setAuthorization(token.toAuthorizationHeader());
        HTTPResponse me = whoami.send();
        assertEquals(200, me.getStatusCode(), me.getBody());
        JsonNode json = Rest.JSON.readTree(me.getBody());
        assertEquals(handle, json.path("user").path("handle").asText());
        assertEquals("login@nimbus-box", json.path("token").path("name").asText());
        assertEquals("TOKEN_KIND_LOGIN", json.path("token").path("kind").asText());

        // The device code gave its one token.
        assertEquals("invalid_grant", error(poll(server, code.getDeviceCode())).getCode());
    }

    @Test
    void aDeniedSignInIsAccessDenied() throws Exception {
        String handle = Rest.signUp("nimbus");
        AuthorizationServerMetadata server = discover();
        DeviceAuthorizationSuccessResponse code = deviceCode(server, CLI, "denied-box");
        Rest.Reply denied = Rest.send(
                "POST",
                "/v1/device/deny",
                Rest.JSON
                        .createObjectNode()
                        .put("userCode", code.getUserCode().getValue())
                        .toString(),
                "authorization",
                Rest.bearer(Rest.session(handle)));
        assertEquals(200, denied.status(), denied.json().toString());
        ErrorObject error = error(poll(server, code.getDeviceCode()));
        assertEquals("access_denied", error.getCode());
        assertEquals("the sign-in was denied in the browser", error.getDescription());
        assertEquals(400, error.getHTTPStatusCode());
    }

    @Test
    void anUnregisteredClientAndOtherGrantsAreRefusedInTheLibrarysTerms() throws Exception {
        AuthorizationServerMetadata server = discover();
        DeviceAuthorizationResponse unknown =
                DeviceAuthorizationResponse.parse(new DeviceAuthorizationRequest.Builder(new ClientID("someone-else"))
                        .endpointURI(server.getDeviceAuthorizationEndpointURI())
                        .build()
                        .toHTTPRequest()
                        .send());
        assertFalse(unknown.indicatesSuccess());
        ErrorObject invalidClient = unknown.toErrorResponse().getErrorObject();
        assertEquals("invalid_client", invalidClient.getCode());
        assertEquals(400, invalidClient.getHTTPStatusCode());
        assertTrue(invalidClient.getDescription().contains("someone-else"), invalidClient.getDescription());

        TokenResponse otherGrant = TokenResponse.parse(
                new TokenRequest(server.getTokenEndpointURI(), CLI, new RefreshTokenGrant(new RefreshToken("r")))
                        .toHTTPRequest()
                        .send());
        assertEquals("unsupported_grant_type", error(otherGrant).getCode());

        assertEquals(
                "invalid_grant",
                error(poll(server, new DeviceCode("made-up-device-code"))).getCode());
    }

    @Test
    void theJsonRoutesStayForCompatibility() throws Exception {
        Rest.Reply code = Rest.send(
                "POST",
                "/v1/device/code",
                Rest.JSON.createObjectNode().put("clientName", "old-cli").toString());
        assertEquals(200, code.status(), code.json().toString());
        Rest.Reply pending = Rest.send(
                "POST",
                "/v1/device/token",
                Rest.JSON
                        .createObjectNode()
                        .put("deviceCode", code.json().path("deviceCode").asText())
                        .toString());
        assertEquals(400, pending.status());
        assertEquals(
                "authorization_pending",
                pending.json().path("details").path(0).path("reason").asText(),
                pending.json().toString());
    }
}
