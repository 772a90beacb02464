package dev.autolab.e2e;

import static dev.autolab.e2e.KeysTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running {@code autolab serve} (the real CLI as a process, through the gateway) is cut off with its
 * reason when the token that registered it is revoked, and when its user loses the role: it prints why
 * and exits 1 instead of reconnecting.
 */
class ServeDisconnectTest {
    static final Duration ONLINE_WITHIN = Duration.ofSeconds(60);
    /** DESIGN §3: within ~1 s while the revocation stream is live; the CLI's JVM start is the slow part. */
    static final Duration CUT_OFF_WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path aliceHome;

    @TempDir
    Path bobHome;

    @TempDir
    Path boxHome;

    static boolean online(String line) {
        return line.contains(" online ");
    }

    @Test
    void revokingTheRegisteringTokenDisconnectsTheNode() throws Exception {
        KeysTest.User alice = KeysTest.user(aliceHome, "alice");
        String token = ok(alice.cli().run("token", "create", "--name", "gpu-box"))
                .out()
                .trim();
        // The machine that serves: no login of its own, only the token in its environment.
        Cli box = new Cli(boxHome).env("AUTOLAB_TOKEN", token);
        try (Cli.Background serve = box.background("serve", "--project", alice.project(), "--name", "gpu-box-1")) {
            serve.awaitLines(ServeDisconnectTest::online, 1, ONLINE_WITHIN);
            assertEquals(1, serve.count(l -> l.startsWith("Registered node")), serve.stderr());

            ok(alice.cli().run("token", "revoke", "gpu-box"));
            Cli.Result ended = serve.awaitExit(CUT_OFF_WITHIN);
            assertEquals(1, ended.exit(), ended.toString());
            assertTrue(
                    ended.err().contains("error: the token that registered this node was revoked"), ended.toString());
        }
        // The node stays listed (offline once its lease runs out), its credential forgotten by the CLI.
        assertTrue(ok(alice.cli().run("nodes")).out().contains("gpu-box-1"));
    }

    @Test
    void losingTheRoleDisconnectsTheNode() throws Exception {
        KeysTest.User alice = KeysTest.user(aliceHome, "alice");
        KeysTest.User bob = KeysTest.user(bobHome, "bob");
        NodesTest.member(alice, bob, "researcher");
        try (Cli.Background serve = bob.cli().background("serve", "--project", alice.project(), "--name", "bobs-box")) {
            serve.awaitLines(ServeDisconnectTest::online, 1, ONLINE_WITHIN);

            NodesTest.member(alice, bob, "viewer");
            Cli.Result ended = serve.awaitExit(CUT_OFF_WITHIN);
            assertEquals(1, ended.exit(), ended.toString());
            assertTrue(
                    ended.err().contains("error: your role on " + alice.project() + " no longer allows running a node"),
                    ended.toString());
        }
    }
}
