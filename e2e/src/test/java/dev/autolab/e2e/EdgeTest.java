package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The gateway's edge in front of the real auth-service (that the call never reaches it: AllowListTest). */
class EdgeTest {
    @Test
    void validateTokenIsNotReachableThroughTheGateway() throws Exception {
        String handle = Rest.signUp("ines");
        String pat = Rest.pat(handle, "probe");
        URI gateway = URI.create(Suite.url());
        ManagedChannel channel = ManagedChannelBuilder.forAddress(gateway.getHost(), gateway.getPort())
                .usePlaintext()
                .build();
        try {
            StatusRuntimeException refused = assertThrows(
                    StatusRuntimeException.class,
                    () -> InternalAuthServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .validateToken(ValidateTokenRequest.newBuilder()
                                    .setToken(pat)
                                    .build()));
            assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
            assertTrue(refused.getStatus().getDescription().contains("internal to the Autolab services"));
            assertFalse(refused.getStatus().getDescription().contains(handle), "the token's user leaked");
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void theApprovalPageDescribesTheRequestAndSignOutEndsTheSession() throws Exception {
        String handle = Rest.signUp("jade");
        var code = Rest.send("POST", "/v1/device/code", "{\"clientName\":\"lab-box-3\"}")
                .json();
        String userCode = code.path("userCode").asText();
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String signInPage = browser.send(
                        HttpRequest.newBuilder(URI.create(Suite.url() + "/signin"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        HttpResponse<String> signedIn = post(
                browser,
                "/signin",
                "csrf=" + csrf(signInPage) + "&handle=" + handle + "&password="
                        + URLEncoder.encode(Rest.PASSWORD, StandardCharsets.UTF_8));
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        String session = signedIn.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith("autolab_session="))
                .findFirst()
                .orElseThrow();
        session = session.substring("autolab_session=".length(), session.indexOf(';'));

        HttpResponse<String> approval = browser.send(
                HttpRequest.newBuilder(URI.create(Suite.url() + "/device?code=" + userCode))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, approval.statusCode(), approval.body());
        assertTrue(approval.body().contains("<dt>Machine</dt><dd>lab-box-3</dd>"), approval.body());
        assertTrue(approval.body().contains("<dt>From address</dt><dd>127.0.0.1</dd>"), approval.body());
        assertTrue(approval.body().contains("Signed in as " + handle + "."), approval.body());
        assertTrue(approval.body().contains("action=\"/signout\""), approval.body());

        assertEquals(
                200,
                Rest.send("GET", "/v1/whoami", null, "authorization", Rest.bearer(session))
                        .status());
        HttpResponse<String> out = post(browser, "/signout", "csrf=" + csrf(approval.body()));
        assertEquals(303, out.statusCode(), out.body());
        assertEquals("/signin", out.headers().firstValue("location").orElse(""));
        assertEquals(
                401,
                Rest.send("GET", "/v1/whoami", null, "authorization", Rest.bearer(session))
                        .status(),
                "the session still works after sign-out");

        HttpResponse<String> unknown = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(Suite.url() + "/device?code=ZZZZ-ZZZZ"))
                                .header("cookie", "autolab_session=" + Rest.session(handle))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertTrue(unknown.statusCode() >= 400 && unknown.statusCode() < 500, unknown.statusCode() + unknown.body());
        assertTrue(unknown.body().contains("<span id=\"code-error\"><p class=\"error\""), unknown.body());
    }

    private static HttpResponse<String> post(HttpClient browser, String path, String form) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(Suite.url() + path))
                        .header("content-type", "application/x-www-form-urlencoded")
                        // as a browser sends it from the gateway's page: the gateway refuses a form from elsewhere
                        .header("origin", Suite.url())
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }
}
