package dev.autolab.e2e;

import static dev.autolab.e2e.KeysTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.autolab.local.DevSuite;

/**
 * node-registry killed with SIGKILL (no shutdown, leases only in its memory) and started again: the
 * gateway answers 503 naming it meanwhile, and a running {@code autolab serve} reconnects with its
 * stored credential and is online again without registering anew.
 */
class NodeRegistryRestartTest {
    @TempDir
    Path aliceHome;

    @Test
    void nodesComeBackOnlineAfterACrashWithoutANewRegistration() throws Exception {
        KeysTest.User alice = KeysTest.user(aliceHome, "alice");
        DevSuite suite = Suite.get();
        try (Cli.Background serve =
                alice.cli().background("serve", "--project", alice.project(), "--name", "crash-box")) {
            serve.awaitLines(ServeDisconnectTest::online, 1, Duration.ofSeconds(60));
            String nodeId = onlyNode(alice).path("id").asText();

            Process registry = suite.service("node-registry").process();
            registry.destroyForcibly(); // SIGKILL
            assertTrue(registry.waitFor(30, TimeUnit.SECONDS), "node-registry survived SIGKILL");
            try {
                Rest.Reply down = Rest.send(
                        "GET",
                        "/v1/projects/" + alice.project() + "/nodes",
                        null,
                        "authorization",
                        Rest.bearer(NodesTest.token(alice.cli())));
                assertEquals(503, down.status(), down.json().toString());
                assertTrue(
                        down.json().path("message").asText().startsWith("node-registry is unavailable"),
                        down.json().toString());
                serve.awaitLines(l -> l.contains(" offline "), 1, Duration.ofSeconds(30));
            } finally {
                suite.restart("node-registry");
            }

            serve.awaitLines(ServeDisconnectTest::online, 2, Duration.ofSeconds(90));
            assertEquals(1, serve.count(l -> l.startsWith("Registered node")), serve.stderr());
            JsonNode node = onlyNode(alice);
            assertEquals(nodeId, node.path("id").asText(), "the same node, not a new one");
            assertEquals("NODE_STATUS_ONLINE", node.path("status").asText());
        } finally {
            if (!suite.service("node-registry").process().isAlive()) {
                suite.restart("node-registry"); // for the tests that come after
            }
        }
    }

    private static JsonNode onlyNode(KeysTest.User user) throws Exception {
        JsonNode nodes =
                Rest.JSON.readTree(ok(user.cli().run("nodes", "--json")).out());
        assertEquals(1, nodes.size(), nodes.toString());
        return nodes.get(0);
    }
}
