package dev.autolab.common.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AddressRangesTest {
    private final AddressRanges trusted =
            AddressRanges.parse(List.of("127.0.0.1", "::1", "10.0.0.0/8", "192.168.4.0/22"));

    @Test
    void literalsAndBlocksMatch() {
        assertTrue(trusted.contains("127.0.0.1"));
        assertTrue(trusted.contains("0:0:0:0:0:0:0:1"));
        assertTrue(trusted.contains("10.200.3.4"));
        assertTrue(trusted.contains("192.168.7.255"));
        assertFalse(trusted.contains("192.168.8.0"));
        assertFalse(trusted.contains("127.0.0.2"));
    }

    @Test
    void namesAndJunkNeverMatchAndNeverResolve() {
        assertFalse(trusted.contains("localhost"));
        assertFalse(trusted.contains("evil.example"));
        assertFalse(trusted.contains(""));
        assertFalse(trusted.contains(null));
    }

    @Test
    void badEntriesAreRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> AddressRanges.parse(List.of("gateway.local")));
        assertThrows(IllegalArgumentException.class, () -> AddressRanges.parse(List.of("10.0.0.0/33")));
    }
}
