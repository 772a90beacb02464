package dev.autolab.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Behind a trusted ingress (here: the test itself, on loopback) the client is the right-most untrusted hop. */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
@TestProfile(BehindIngressTest.Ingress.class)
class BehindIngressTest {
    public static class Ingress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autolab.gateway.trusted-proxies", "127.0.0.0/8,::1");
        }
    }

    private static String forwarded(String xff) throws Exception {
        HttpResponse<String> reply = Http.send("GET", "/v1/whoami", null, "x-forwarded-for", xff);
        assertEquals(200, reply.statusCode(), reply.body());
        return reply.body();
    }

    @Test
    void theHopTheIngressAppendedIsTheClientNotWhatTheClientWrote() throws Exception {
        assertTrue(forwarded("6.6.6.6, 203.0.113.7").contains("\"displayName\":\"203.0.113.7\""));
        assertTrue(forwarded("7.7.7.7, 203.0.113.7").contains("\"displayName\":\"203.0.113.7\""));
        assertTrue(forwarded("203.0.113.8").contains("\"displayName\":\"203.0.113.8\""));
    }
}
