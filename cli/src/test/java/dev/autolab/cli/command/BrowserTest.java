package dev.autolab.cli.command;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code login} opens the verification page only on the host's own origin, over https unless it is loopback. */
class BrowserTest {
    @Test
    void theHostsOwnHttpsPageOpens() {
        assertTrue(LoginCommand.browsable(
                "https://autolab.example.org/device?code=ABCD-EFGH", "https://autolab.example.org"));
        assertTrue(LoginCommand.browsable("https://autolab.example.org:443/device", "https://autolab.example.org"));
        assertTrue(LoginCommand.browsable("http://localhost:8080/device?code=A", "http://localhost:8080"));
    }

    @Test
    void anythingElseIsOnlyPrinted() {
        String host = "https://autolab.example.org";
        assertFalse(LoginCommand.browsable("https://evil.example/device", host), "another origin");
        assertFalse(LoginCommand.browsable("http://autolab.example.org/device", host), "downgraded to http");
        assertFalse(LoginCommand.browsable("https://autolab.example.org:8443/device", host), "another port");
        assertFalse(LoginCommand.browsable("https://autolab.example.org@evil.example/", host), "user info");
        assertFalse(LoginCommand.browsable("file:///etc/passwd", host));
        assertFalse(LoginCommand.browsable("javascript:alert(1)", host));
        assertFalse(LoginCommand.browsable("https://autolab.example.org/\u001b[2J", host), "control characters");
        assertFalse(
                LoginCommand.browsable("http://autolab.example.org/device", "http://autolab.example.org"),
                "plain http to another machine, even its own origin");
        assertFalse(
                LoginCommand.browsable("http://localhost:9999/device", "http://localhost:8080"), "another local port");
    }
}
