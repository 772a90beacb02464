package dev.autolab.e2e;

import static dev.autolab.e2e.KeysTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import dev.autolab.proto.keys.v1.KeyResolutionServiceGrpc;
import dev.autolab.proto.keys.v1.RecordUsageRequest;
import dev.autolab.proto.keys.v1.RecordUsageResponse;
import dev.autolab.proto.keys.v1.ResolveProjectKeyRequest;
import dev.autolab.proto.keys.v1.ResolvedKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * An execution node resolves its project's LLM key with its own node credential, through the gateway
 * to keys-service (which asks auth-service whose node it is), and reports spend until the key's limit
 * refuses it; a node of another project, and a person's token, get nothing.
 */
class NodeKeysTest {
    /** What the e2e module's pom gives the suite as the platform key (see DevSuite.PLATFORM_KEY). */
    static final String PLATFORM = "sk-ant-platform-e2e-000000000000PLAT";

    @TempDir
    Path aliceHome;

    @TempDir
    Path bobHome;

    @Test
    void aNodeResolvesItsProjectsKeyAndSpendsUpToTheLimit() throws Exception {
        KeysTest.User alice = KeysTest.user(aliceHome, "alice");
        KeysTest.User bob = KeysTest.user(bobHome, "bob");
        try (NodeClient nodes = new NodeClient()) {
            String node = nodes.register(NodesTest.token(alice.cli()), alice.project(), "m-keys", "keys-box")
                    .getNodeCredential();
            var keys = NodeClient.as(KeyResolutionServiceGrpc.newBlockingStub(nodes.channel()), node);

            ResolvedKey platform = keys.resolveProjectKey(request(alice.project()));
            assertTrue(platform.getPlatform(), "every project starts on the platform key");
            assertEquals(PLATFORM, platform.getValue());
            assertEquals("anthropic", platform.getProvider());

            ok(alice.cli()
                    .runWithStdin(
                            KeysTest.OPENAI,
                            "keys",
                            "add",
                            "--provider",
                            "openai",
                            "--name",
                            "personal",
                            "--limit",
                            "1"));
            ok(alice.cli().run("keys", "use", "personal"));
            ResolvedKey own = keys.resolveProjectKey(request(alice.project()));
            assertFalse(own.getPlatform());
            assertEquals(KeysTest.OPENAI, own.getValue());
            assertEquals("openai", own.getProvider());

            RecordUsageResponse first = keys.recordUsage(usage(alice.project(), own, 600_000, "run-1"));
            assertEquals(600_000, first.getSpentMicroUsd());
            assertEquals(1_000_000, first.getLimitMicroUsd());
            assertEquals(
                    600_000,
                    keys.recordUsage(usage(alice.project(), own, 600_000, "run-1"))
                            .getSpentMicroUsd(),
                    "a replayed report counts once");
            assertEquals(
                    1_000_000,
                    keys.recordUsage(usage(alice.project(), own, 400_000, "run-2"))
                            .getSpentMicroUsd());
            refused(
                    Status.Code.RESOURCE_EXHAUSTED,
                    () -> keys.resolveProjectKey(request(alice.project())),
                    "\"personal\"",
                    "spending limit of $1.00");

            // A node of Bob's project cannot read or spend Alice's key; a person's token cannot either.
            String bobsNode = nodes.register(NodesTest.token(bob.cli()), bob.project(), "m-keys-bob", "bob-box")
                    .getNodeCredential();
            var bobs = NodeClient.as(KeyResolutionServiceGrpc.newBlockingStub(nodes.channel()), bobsNode);
            refused(
                    Status.Code.PERMISSION_DENIED,
                    () -> bobs.resolveProjectKey(request(alice.project())),
                    "belongs to " + bob.project());
            refused(
                    Status.Code.PERMISSION_DENIED,
                    () -> bobs.recordUsage(usage(alice.project(), own, 1, "bob-1")),
                    "belongs to " + bob.project());
            var person = NodeClient.as(
                    KeyResolutionServiceGrpc.newBlockingStub(nodes.channel()), NodesTest.token(alice.cli()));
            refused(
                    Status.Code.PERMISSION_DENIED,
                    () -> person.resolveProjectKey(request(alice.project())),
                    "node credential");
            // Bob's own node resolves Bob's project: the platform key.
            assertTrue(bobs.resolveProjectKey(request(bob.project())).getPlatform());
        }
    }

    private static ResolveProjectKeyRequest request(String project) {
        return ResolveProjectKeyRequest.newBuilder().setProject(project).build();
    }

    private static RecordUsageRequest usage(String project, ResolvedKey key, long microUsd, String id) {
        return RecordUsageRequest.newBuilder()
                .setProject(project)
                .setKeyId(key.getKeyId())
                .setMicroUsd(microUsd)
                .setUsageId(id)
                .build();
    }

    private static void refused(Status.Code code, Executable call, String... words) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus()));
        for (String word : words) {
            assertTrue(String.valueOf(e.getStatus().getDescription()).contains(word), e.getStatus() + " lacks " + word);
        }
    }
}
