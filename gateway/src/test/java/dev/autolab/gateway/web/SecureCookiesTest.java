package dev.autolab.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** An https public URL makes every cookie Secure, with no other setting. */
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
        assertTrue(csrf.get(0).startsWith(Csrf.COOKIE + "=") && csrf.get(0).contains("Secure"), csrf.get(0));

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
        assertTrue(
                cookies.get(0).startsWith(SessionCookie.NAME + "=")
                        && cookies.get(0).contains("Secure"),
                cookies.get(0));
    }
}
