package dev.autolab.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A host typed without a scheme is https unless it is this machine; what is typed explicitly stays. */
class HostsTest {
    @Test
    void withoutSchemeIsHttpsExceptLoopback() {
        assertEquals("https://autolab.example.org", Hosts.normalize("autolab.example.org"));
        assertEquals("https://autolab.example.org:8443", Hosts.normalize(" autolab.example.org:8443/ "));
        assertEquals("https://10.0.0.5:8080", Hosts.normalize("10.0.0.5:8080"), "a LAN address is another machine");
        assertEquals("http://localhost:8080", Hosts.normalize("localhost:8080"));
        assertEquals("http://127.0.0.1:9000", Hosts.normalize("127.0.0.1:9000"));
        assertEquals("http://127.1.2.3", Hosts.normalize("127.1.2.3"));
        assertEquals("http://[::1]:8080", Hosts.normalize("[::1]:8080"));
    }

    @Test
    void anExplicitSchemeIsKeptWhateverItsCase() {
        assertEquals("http://autolab.example.org", Hosts.normalize("http://autolab.example.org/"));
        assertEquals("https://localhost:8443", Hosts.normalize("HTTPS://localhost:8443"));
    }

    @Test
    void cleartextToAnotherMachineIsOnlyPlainHttpOffLoopback() {
        assertTrue(Hosts.cleartextToAnotherMachine("http://autolab.example.org"));
        assertTrue(Hosts.cleartextToAnotherMachine("http://127.0.0.1.nip.io"), "a name is not an address");
        assertFalse(Hosts.cleartextToAnotherMachine("https://autolab.example.org"));
        assertFalse(Hosts.cleartextToAnotherMachine("http://localhost:8080"));
        assertFalse(Hosts.cleartextToAnotherMachine("http://[::1]:8080"));
    }

    @Test
    void originsCompareSchemeHostAndPort() {
        assertEquals("https://autolab.example.org", Hosts.originOf("https://Autolab.example.org:443/device?code=X"));
        assertEquals("http://localhost:8080", Hosts.originOf("http://localhost:8080/device"));
        assertEquals("https://evil.example", Hosts.originOf("https://autolab.example.org@evil.example/"));
        assertNull(Hosts.originOf("not a url"));
        assertNull(Hosts.originOf("file:///etc/passwd"));
    }
}
