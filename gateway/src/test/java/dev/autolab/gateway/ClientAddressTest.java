package dev.autolab.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private final ClientAddress direct = new ClientAddress(List.of());
    private final ClientAddress behindIngress = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8", "192.0.2.1"));

    @Test
    void withNoTrustedProxyTheClaimIsIgnored() {
        for (String forged : List.of("203.0.113.9", "1.1.1.1, 2.2.2.2", "garbage", "")) {
            assertEquals("198.51.100.4", direct.of("198.51.100.4", List.of(forged)));
        }
        assertEquals("10.1.2.3", direct.of("10.1.2.3", List.of("203.0.113.9")));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItClaims() {
        assertEquals("198.51.100.4", behindIngress.of("198.51.100.4", List.of("10.0.0.1")));
        assertEquals("198.51.100.4", behindIngress.of("198.51.100.4", List.of()));
    }

    @Test
    void behindATrustedProxyTheRightmostUntrustedHopIsTheClient() {
        // The ingress (10.0.0.5) appended what it saw (203.0.113.7); what the client wrote comes before.
        assertEquals("203.0.113.7", behindIngress.of("10.0.0.5", List.of("6.6.6.6, 203.0.113.7")));
        assertEquals("203.0.113.7", behindIngress.of("10.0.0.5", List.of("6.6.6.6", "203.0.113.7")));
        // Two trusted hops: skip both.
        assertEquals("203.0.113.7", behindIngress.of("10.0.0.5", List.of("1.2.3.4,203.0.113.7, 192.0.2.1")));
        assertEquals("2001:db8:0:0:0:0:0:9", behindIngress.of("fd00::1", List.of("2001:db8::9")));
    }

    @Test
    void aTrustedPeerWithoutAUsableHopIsItself() {
        assertEquals("10.0.0.5", behindIngress.of("10.0.0.5", List.of()));
        assertEquals("10.0.0.5", behindIngress.of("10.0.0.5", List.of("not-an-address")));
        // Everything trusted: the left-most trusted hop.
        assertEquals("10.9.9.9", behindIngress.of("10.0.0.5", List.of("10.9.9.9, 192.0.2.1")));
        // A host name is never looked up.
        assertEquals("10.0.0.5", behindIngress.of("10.0.0.5", List.of("evil.example")));
    }

    @Test
    void aBadEntryFailsAtStartNamingTheKey() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("10.0.0.0/33")));
        assertTrue(e.getMessage().startsWith("autolab.gateway.trusted-proxies: '10.0.0.0/33'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("ingress.local")));
    }
}
