package dev.autolab.nodes;

import static dev.autolab.nodes.support.Requests.register;
import static dev.autolab.nodes.support.Requests.registration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.autolab.common.auth.AuthServiceValidator;
import dev.autolab.nodes.lease.NodeSweeper;
import dev.autolab.nodes.support.FakeAuthResource;
import dev.autolab.nodes.support.NodeStream;
import dev.autolab.nodes.support.Poll;
import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * While auth-service's revocation stream is down, nothing is pushed: the sweep asks auth-service again
 * about every connected credential, and a dead one gets {@code credential_invalid}.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_nodes"))
@WithTestResource(value = FakeAuthResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RevalidationTest {
    FakeAuthService auth;

    @Inject
    NodeSweeper sweeper;

    @Inject
    AuthServiceValidator validator;

    @Test
    void withoutTheRevocationStreamTheSweepFindsADeadCredential() throws Exception {
        var alice = auth.user("alice");
        String project = auth.project(alice, "nanochat");
        RegisterNodeResponse dies = register(alice.token(), registration(project, "dies"));
        RegisterNodeResponse lives = register(alice.token(), registration(project, "lives"));
        try (NodeStream dying = NodeStream.open(dies.getNodeCredential());
                NodeStream living = NodeStream.open(lives.getNodeCredential())) {
            dying.next();
            living.next();
            auth.cutRevocationStreams();
            Poll.until(
                    "node-registry sees the revocation stream down",
                    Duration.ofSeconds(10),
                    () -> !validator.isRevocationStreamLive());

            auth.revokeSilently(dies.getNodeCredential());
            sweeper.sweep().await().atMost(Duration.ofSeconds(15));

            ControlMessage m = dying.next();
            assertTrue(m.hasDisconnect(), m.toString());
            assertEquals("credential_invalid", m.getDisconnect().getReason());
            assertFalse(living.hasEnded(), "a live credential keeps its stream");
            assertEquals(0, living.pending(), "and is not told anything");
        } finally {
            auth.restoreRevocationStreams();
        }
        Poll.until("the revocation stream is back", Duration.ofSeconds(15), validator::isRevocationStreamLive);
    }
}
