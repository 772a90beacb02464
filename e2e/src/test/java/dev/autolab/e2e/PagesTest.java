package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The sign-in and device-approval pages as a browser uses them: cookies, forms, CSRF tokens, redirects. */
class PagesTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final HttpClient browser = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private HttpResponse<String> get(String path) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(Suite.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return browser.send(
                HttpRequest.newBuilder(URI.create(Suite.url() + path))
                        .header("content-type", "application/x-www-form-urlencoded")
                        // as a browser sends it from the gateway's page: the gateway refuses a form from elsewhere
                        .header("origin", Suite.url())
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String csrf(HttpResponse<String> page) {
        Matcher m = CSRF.matcher(page.body());
        assertTrue(m.find(), "no CSRF field in " + page.body());
        return m.group(1);
    }

    @Test
    void approvingADeviceInTheBrowser() throws Exception {
        String handle = Rest.signUp("ivy");
        var code = Rest.send("POST", "/v1/device/code", "{\"clientName\":\"workstation\"}")
                .json();
        String userCode = code.path("userCode").asText();

        HttpResponse<String> toSignIn = get("/device?code=" + userCode);
        assertEquals(303, toSignIn.statusCode());
        assertTrue(toSignIn.headers().firstValue("location").orElse("").startsWith("/signin?next="));

        HttpResponse<String> form =
                get("/signin?next=" + URLEncoder.encode("/device?code=" + userCode, StandardCharsets.UTF_8));
        assertEquals(200, form.statusCode());
        assertEquals("DENY", form.headers().firstValue("x-frame-options").orElse(""));
        String token = csrf(form);

        HttpResponse<String> forged =
                post("/signin", Map.of("csrf", "forged", "handle", handle, "password", Rest.PASSWORD));
        assertEquals(403, forged.statusCode());
        HttpResponse<String> wrongPassword =
                post("/signin", Map.of("csrf", token, "handle", handle, "password", "nope nope nope"));
        assertEquals(401, wrongPassword.statusCode());
        assertTrue(wrongPassword.body().contains("wrong handle or password"), wrongPassword.body());

        HttpResponse<String> signedIn = post(
                "/signin",
                Map.of("csrf", token, "handle", handle, "password", Rest.PASSWORD, "next", "/device?code=" + userCode));
        assertEquals(303, signedIn.statusCode());
        assertEquals(
                "/device?code=" + userCode,
                signedIn.headers().firstValue("location").orElse(""));
        String cookie = signedIn.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith("autolab_session="))
                .findFirst()
                .orElse("");
        assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);

        HttpResponse<String> approval = get("/device?code=" + userCode);
        assertEquals(200, approval.statusCode());
        assertTrue(approval.body().contains(userCode), approval.body());
        assertEquals(
                403,
                post("/device", Map.of("csrf", "forged", "code", userCode, "decision", "approve"))
                        .statusCode());
        HttpResponse<String> approved =
                post("/device", Map.of("csrf", csrf(approval), "code", userCode, "decision", "approve"));
        assertEquals(200, approved.statusCode(), approved.body());
        assertTrue(approved.body().contains("workstation is now signed in as you"), approved.body());

        Thread.sleep(code.path("interval").asLong() * 1000);
        var done = Rest.send(
                "POST",
                "/v1/device/token",
                "{\"deviceCode\":\"" + code.path("deviceCode").asText() + "\"}");
        assertEquals(200, done.status(), done.json().toString());
        assertEquals("login@workstation", done.json().path("token").path("name").asText());
    }

    @Test
    void aSignInNeverRedirectsOffSite() throws Exception {
        String handle = Rest.signUp("jon");
        String token = csrf(get("/signin"));
        HttpResponse<String> r = post(
                "/signin",
                Map.of("csrf", token, "handle", handle, "password", Rest.PASSWORD, "next", "//evil.example/steal"));
        assertEquals(303, r.statusCode());
        assertEquals("/", r.headers().firstValue("location").orElse(""));
    }

    @Test
    void aCookieAloneCannotWriteFromAnotherOrigin() throws Exception {
        String handle = Rest.signUp("kim");
        String session = Rest.session(handle);
        Rest.Reply crossSite = Rest.send(
                "POST",
                "/v1/tokens",
                "{\"name\":\"x\"}",
                "cookie",
                "autolab_session=" + session,
                "origin",
                "https://evil.example");
        assertEquals(401, crossSite.status(), crossSite.json().toString());
        Rest.Reply sameSite = Rest.send(
                "POST",
                "/v1/tokens",
                "{\"name\":\"y\"}",
                "cookie",
                "autolab_session=" + session,
                "origin",
                Suite.url());
        assertEquals(200, sameSite.status(), sameSite.json().toString());
    }
}
