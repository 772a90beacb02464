package dev.autolab.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * An https public URL makes every cookie Secure and {@code __Host-} named, its origin the only one
 * trusted, and the pages Strict-Transport-Security, with no other setting.
 */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
@TestProfile(SecureCookiesTest.Https.class)
class SecureCookiesTest {
    public static class Https implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autolab.gateway.public-url", "https://autolab.example.org");
        }
    }

    @Test
    void sessionAndCsrfCookiesAreSecure() throws Exception {
        HttpResponse<String> form = Http.send("GET", "/signin", null);
        List<String> csrf = form.headers().allValues("set-cookie");
        assertEquals(1, csrf.size(), csrf.toString());
        assertHostOnly(csrf.get(0), Csrf.SECURE_COOKIE);

        HttpResponse<String> session = Http.send(
                "POST",
                "/v1/sessions",
                "{\"handle\":\"alice\",\"password\":\"right password\"}",
                "content-type",
                "application/json",
                "origin",
                "https://autolab.example.org");
        List<String> cookies = session.headers().allValues("set-cookie");
        assertEquals(1, cookies.size(), cookies.toString());
        assertHostOnly(cookies.get(0), SessionCookie.SECURE_NAME);
    }

    /** A {@code __Host-} cookie: Secure, Path=/, no Domain (else a browser drops it). */
    private static void assertHostOnly(String setCookie, String name) {
        assertTrue(name.startsWith("__Host-"), name);
        assertTrue(setCookie.startsWith(name + "="), setCookie);
        assertTrue(setCookie.contains("; Secure"), setCookie);
        assertTrue(setCookie.contains("; Path=/;") || setCookie.endsWith("; Path=/"), setCookie);
        assertFalse(setCookie.toLowerCase(java.util.Locale.ROOT).contains("domain="), setCookie);
    }

    @Test
    void thePlainNamesMeanNothingWhenCookiesAreSecure() throws Exception {
        // A plain-named cookie (which any sibling subdomain can set) is no session here.
        HttpResponse<String> home =
                Http.send("GET", "/", null, "cookie", SessionCookie.NAME + "=" + FakeAuthService.SESSION);
        assertFalse(home.body().contains("/signout"), home.body());
        HttpResponse<String> signedIn =
                Http.send("GET", "/", null, "cookie", SessionCookie.SECURE_NAME + "=" + FakeAuthService.SESSION);
        assertTrue(signedIn.body().contains("/signout"), signedIn.body());
    }

    @Test
    void onlyTheConfiguredOriginMayPostAForm() throws Exception {
        String host = Http.base().substring("http://".length());
        for (String origin : new String[] {
            "http://autolab.example.org", // scheme mismatch: a page an attacker on the path can write
            "https://" + host, // the Host header is the client's to choose
            "http://" + host,
            "https://sibling.autolab.example.org",
            "null"
        }) {
            assertEquals(403, signOut(origin).statusCode(), origin);
        }
        assertEquals(303, signOut("https://autolab.example.org").statusCode());
    }

    @Test
    void theRestApiTakesTheCookieForAWriteOnlyFromTheConfiguredOrigin() throws Exception {
        String host = Http.base().substring("http://".length());
        String cookie = SessionCookie.SECURE_NAME + "=" + FakeAuthService.SESSION;
        Http.send("DELETE", "/v1/sessions/current", null, "cookie", cookie, "origin", "https://autolab.example.org");
        assertEquals("Bearer " + FakeAuthService.SESSION, FakeAuthService.lastAuthorization());
        HttpResponse<String> refused =
                Http.send("DELETE", "/v1/sessions/current", null, "cookie", cookie, "origin", "https://" + host);
        assertNotEquals("Bearer " + FakeAuthService.SESSION, FakeAuthService.lastAuthorization(), refused.toString());
    }

    @Test
    void pagesAndTheDashboardSendStrictTransportSecurity() throws Exception {
        String cookie = SessionCookie.SECURE_NAME + "=" + FakeAuthService.SESSION;
        for (String path : new String[] {"/", "/signin", "/signup", "/dashboard", "/assets/dashboard.js"}) {
            HttpResponse<String> page = Http.send("GET", path, null, "cookie", cookie);
            assertEquals(200, page.statusCode(), path);
            assertEquals(
                    "max-age=31536000",
                    page.headers().firstValue("strict-transport-security").orElse(""),
                    path);
        }
    }

    private static HttpResponse<String> signOut(String origin) throws Exception {
        String csrf = "h".repeat(40);
        return Http.send(
                "POST",
                "/signout",
                "csrf=" + csrf,
                "content-type",
                "application/x-www-form-urlencoded",
                "cookie",
                SessionCookie.SECURE_NAME + "=" + FakeAuthService.SESSION + "; " + Csrf.SECURE_COOKIE + "=" + csrf,
                "origin",
                origin);
    }
}
