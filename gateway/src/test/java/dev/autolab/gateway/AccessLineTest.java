package dev.autolab.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class AccessLineTest {
    @Test
    void aLineSaysRouteStatusLatencyInTenthsOfAMillisecondAndTheRequestId() {
        assertEquals("GET /v1/whoami 200 1.3ms request=r-1", AccessLine.of("GET /v1/whoami", 200, 1_250_000, "r-1"));
        assertEquals("GET /v1/whoami 503 0.0ms request=r-2", AccessLine.of("GET /v1/whoami", 503, 49_999, "r-2"));
        assertEquals("POST /v1/tokens 400 12.0ms request=x", AccessLine.of("POST /v1/tokens", 400, 11_960_000, "x"));
        assertEquals("GET / 200 10000.0ms request=x", AccessLine.of("GET /", 200, 10_000_000_000L, "x"));
    }

    @Test
    void madeRequestIdsAreRandomVersion4Uuids() {
        String a = RequestMetadata.newId();
        String b = RequestMetadata.newId();
        assertNotEquals(a, b);
        for (String id : new String[] {a, b}) {
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            assertEquals(4, UUID.fromString(id).version());
            assertEquals(2, UUID.fromString(id).variant());
        }
    }
}
