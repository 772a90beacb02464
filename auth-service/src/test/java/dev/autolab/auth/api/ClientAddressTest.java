package dev.autolab.auth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private final ClientAddress addresses =
            new ClientAddress(dev.autolab.common.net.AddressRanges.parse(java.util.List.of("127.0.0.1", "::1")));

    @Test
    void anUntrustedCallerIsItsOwnAddressWhateverItForwards() {
        for (String forged : new String[] {"1.2.3.4", "5.6.7.8, 9.9.9.9", "", "::1"}) {
            assertEquals("203.0.113.9", addresses.resolve("203.0.113.9", forged), forged);
        }
    }

    @Test
    void theTrustedProxyNamesTheClientAsTheLastHopItAppended() {
        assertEquals("198.51.100.7", addresses.resolve("127.0.0.1", "198.51.100.7"));
        // A client's own header comes first; the proxy's hop is last.
        assertEquals("198.51.100.7", addresses.resolve("127.0.0.1", "6.6.6.6, 198.51.100.7"));
        assertEquals("198.51.100.7", addresses.resolve("0:0:0:0:0:0:0:1", "198.51.100.7"));
        assertEquals("127.0.0.1", addresses.resolve("127.0.0.1", null));
    }
}
