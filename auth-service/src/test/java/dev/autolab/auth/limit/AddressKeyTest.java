package dev.autolab.auth.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AddressKeyTest {

    @Test
    void ipv6AddressesCountByTheirSlash64() {
        assertEquals("2001:db8:1:2::/64", AddressKey.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals(AddressKey.of("2001:db8:1:2::1"), AddressKey.of("2001:0db8:0001:0002:ffff::9"));
    }

    @Test
    void ipv4AndAnythingElseCountAsThemselves() {
        assertEquals("198.51.100.7", AddressKey.of("198.51.100.7"));
        assertEquals("unknown", AddressKey.of("unknown"));
        assertEquals("evil.example", AddressKey.of("evil.example"));
    }
}
