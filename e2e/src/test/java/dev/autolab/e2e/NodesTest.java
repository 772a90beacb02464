package dev.autolab.e2e;

import static dev.autolab.e2e.KeysTest.ok;
import static dev.autolab.e2e.KeysTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import io.grpc.Status;

/**
 * Execution nodes through the real suite (gateway, node-registry, auth-service): who may register a
 * node on a project, who sees the list and who removes one, with a connected node told why it is cut off.
 * Node calls are grpc-java code; listing and removal are the real CLI.
 */
class NodesTest {
    static final Duration SOON = Duration.ofSeconds(20);

    @TempDir
    Path aliceHome;

    @TempDir
    Path bobHome;

    @TempDir
    Path carolHome;

    @TempDir
    Path daveHome;

    /** The token a signed-in CLI holds (a PAT made by {@link KeysTest#user}). */
    static String token(Cli cli) throws Exception {
        return Rest.JSON
                .readTree(cli.credentials().toFile())
                .path("hosts")
                .elements()
                .next()
                .path("token")
                .asText();
    }

    static void member(KeysTest.User owner, KeysTest.User who, String role) throws Exception {
        ok(owner.cli().run("project", "members", "add", who.handle(), "--role", role));
    }

    @Test
    void ownersAndResearchersRegisterAndReRegisteringIsIdempotent() throws Exception {
        KeysTest.User alice = KeysTest.user(aliceHome, "alice");
        KeysTest.User bob = KeysTest.user(bobHome, "bob");
        member(alice, bob, "researcher");
        try (NodeClient nodes = new NodeClient()) {
            RegisterNodeResponse owned = nodes.register(token(alice.cli()), alice.project(), "m-alice", "gpu-a");
            assertTrue(owned.getNodeCredential().startsWith("aln_"), "a node credential");
            assertEquals(alice.project(), owned.getNode().getProject());
            assertEquals("gpu-a", owned.getNode().getHostname());
            assertEquals(alice.handle(), owned.getNode().getRegisteredBy());
            assertEquals(10, owned.getHeartbeatIntervalSeconds());

            RegisterNodeResponse researched = nodes.register(token(bob.cli()), alice.project(), "m-bob", "gpu-b");
            assertEquals(bob.handle(), researched.getNode().getRegisteredBy());
            assertFalse(researched.getNode().getId().equals(owned.getNode().getId()));

            // The same machine again: the same node, a new credential, and the old one stops working.
            RegisterNodeResponse again = nodes.register(token(alice.cli()), alice.project(), "m-alice", "gpu-a");
            assertEquals(owned.getNode().getId(), again.getNode().getId());
            assertFalse(again.getNodeCredential().equals(owned.getNodeCredential()));
            NodeClient.Stream fresh = nodes.connect(again.getNodeCredential());
            fresh.lease(SOON);
            NodeClient.Stream stale = nodes.connect(owned.getNodeCredential());
            Object refusal = stale.next(SOON);
            assertTrue(
                    refusal instanceof Status s && s.getCode() == Status.Code.UNAUTHENTICATED,
                    "the replaced credential still connects: " + refusal);
            fresh.close();

            // A PAT registers; a node credential does not.
            nodes.refused(Status.Code.PERMISSION_DENIED, again.getNodeCredential(), alice.project());
        }
    }

    @Test
    void aNonMemberAndAViewerAreRefusedWithTheRoleNeeded() throws Exception {
        KeysTest.User alice = KeysTest.user(aliceHome, "alice");
        KeysTest.User carol = KeysTest.user(carolHome, "carol");
        KeysTest.User dave = KeysTest.user(daveHome, "dave");
        member(alice, dave, "viewer");
        try (NodeClient nodes = new NodeClient()) {
            // Carol is no member: the project does not exist as far as she can tell.
            nodes.refused(Status.Code.NOT_FOUND, token(carol.cli()), alice.project(), alice.project());
            nodes.refused(Status.Code.PERMISSION_DENIED, token(dave.cli()), alice.project(), "researcher", "viewer");
        }
        // Nothing was registered by either.
        Cli.Result listed = ok(alice.cli().run("nodes", "--json"));
        assertEquals(0, Rest.JSON.readTree(listed.out()).size(), listed.toString());
    }

    @Test
    void aViewerListsTheNodesAndANonMemberCannot() throws Exception {
        KeysTest.User alice = KeysTest.user(aliceHome, "alice");
        KeysTest.User carol = KeysTest.user(carolHome, "carol");
        KeysTest.User dave = KeysTest.user(daveHome, "dave");
        member(alice, dave, "viewer");
        try (NodeClient nodes = new NodeClient()) {
            RegisterNodeResponse r = nodes.register(token(alice.cli()), alice.project(), "m-listed", "gpu-listed");
            NodeClient.Stream stream = nodes.connect(r.getNodeCredential());
            stream.lease(SOON);

            Cli.Result table = ok(dave.cli().run("nodes", "--project", alice.project()));
            assertTrue(table.out().contains("gpu-listed") && table.out().contains("online"), table.toString());
            JsonNode json = Rest.JSON.readTree(ok(dave.cli().run("nodes", "--project", alice.project(), "--json"))
                    .out());
            assertEquals(1, json.size(), json.toString());
            assertEquals(r.getNode().getId(), json.get(0).path("id").asText());
            assertEquals("NODE_STATUS_ONLINE", json.get(0).path("status").asText());
            assertEquals(alice.handle(), json.get(0).path("registeredBy").asText());

            refused(carol.cli().run("nodes", "--project", alice.project()), 1, "not found");
            stream.close();
        }
    }

    @Test
    void anAdminRemovesANodeAndTheConnectedNodeIsToldWhy() throws Exception {
        KeysTest.User alice = KeysTest.user(aliceHome, "alice");
        KeysTest.User bob = KeysTest.user(bobHome, "bob");
        KeysTest.User carol = KeysTest.user(carolHome, "carol");
        member(alice, bob, "researcher");
        member(alice, carol, "admin");
        try (NodeClient nodes = new NodeClient()) {
            RegisterNodeResponse r = nodes.register(token(bob.cli()), alice.project(), "m-removed", "gpu-removed");
            NodeClient.Stream stream = nodes.connect(r.getNodeCredential());
            stream.lease(SOON);

            // A researcher may register but not remove.
            refused(bob.cli().run("nodes", "rm", "gpu-removed", "--project", alice.project()), 1, "admin");

            ok(carol.cli().run("nodes", "rm", "gpu-removed", "--project", alice.project()));
            assertEquals("node_removed", stream.disconnect(SOON).getReason());
            Cli.Result listed = ok(alice.cli().run("nodes", "--json"));
            assertEquals(0, Rest.JSON.readTree(listed.out()).size(), listed.toString());
            // Its credential died with it.
            Object refusal = nodes.connect(r.getNodeCredential()).next(SOON);
            assertTrue(
                    refusal instanceof Status s && s.getCode() == Status.Code.UNAUTHENTICATED,
                    "a removed node's credential still connects: " + refusal);
        }
    }
}
