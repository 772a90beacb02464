package dev.autolab.nodes;

import static dev.autolab.nodes.support.Requests.register;
import static dev.autolab.nodes.support.Requests.registration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    @Test
    void anOutageShorterThanASweepIsCaughtByTheNextSweep() throws Exception {
        var alice = auth.user("alice");
        String project = auth.project(alice, "nanochat");
        RegisterNodeResponse dies = register(alice.token(), registration(project, "dies-quietly"));
        RegisterNodeResponse lives = register(alice.token(), registration(project, "stays"));
        Poll.until("the revocation stream is live", Duration.ofSeconds(15), validator::isRevocationStreamLive);
        try (NodeStream dying = NodeStream.open(dies.getNodeCredential());
                NodeStream living = NodeStream.open(lives.getNodeCredential())) {
            dying.next();
            living.next();
            // A sweep now: whatever it re-validates, the next one starts from a live stream.
            sweeper.sweep().await().atMost(Duration.ofSeconds(15));
            long before = validator.revocationStreamTimesLive();

            // The stream drops, a revocation is missed, and the watcher is back before the next sweep.
            auth.cutRevocationStreams();
            Poll.until(
                    "node-registry sees the stream down",
                    Duration.ofSeconds(10),
                    () -> !validator.isRevocationStreamLive());
            auth.revokeSilently(dies.getNodeCredential());
            auth.restoreRevocationStreams();
            Poll.until(
                    "the revocation stream is back",
                    Duration.ofSeconds(15),
                    () -> validator.isRevocationStreamLive() && validator.revocationStreamTimesLive() > before);

            sweeper.sweep().await().atMost(Duration.ofSeconds(15));

            ControlMessage m = dying.next();
            assertTrue(m.hasDisconnect(), m.toString());
            assertEquals("credential_invalid", m.getDisconnect().getReason());
            assertFalse(m.getDisconnect().getMessage().isBlank(), "a message for people");
            assertFalse(living.hasEnded(), "a live credential keeps its stream");
        } finally {
            auth.restoreRevocationStreams();
        }
    }

    @Test
    void reValidationAsksAtMost32AtOnce() throws Exception {
        var alice = auth.user("alice");
        List<NodeStream> streams = new ArrayList<>();
        try {
            // 40 nodes over 10 projects (the test cap is 4 nodes a project).
            for (int p = 0; p < 10; p++) {
                String project = auth.project(alice, "many-" + p);
                for (int n = 0; n < FakeAuthResource.MAX_PER_PROJECT; n++) {
                    NodeStream stream = NodeStream.open(register(alice.token(), registration(project, "n" + n))
                            .getNodeCredential());
                    streams.add(stream);
                    stream.next();
                }
            }
            auth.cutRevocationStreams(); // the cache forgets everything: each re-validation asks auth-service
            Poll.until(
                    "node-registry sees the stream down",
                    Duration.ofSeconds(10),
                    () -> !validator.isRevocationStreamLive());
            auth.holdValidations();
            sweeper.sweep().await().atMost(Duration.ofSeconds(15));

            Poll.until("32 validations in flight", Duration.ofSeconds(10), () -> auth.validationsInFlight() >= 32);
            // Unbounded, the other 8 of the 40 would follow at once.
            assertThrows(
                    AssertionError.class,
                    () -> Poll.until(
                            "a 33rd validation", Duration.ofSeconds(1), () -> auth.validationsInFlight() > 32));
            auth.releaseValidations();
            for (NodeStream stream : streams) {
                assertFalse(stream.hasEnded(), "live credentials keep their streams");
            }
        } finally {
            auth.releaseValidations();
            auth.restoreRevocationStreams();
            streams.forEach(NodeStream::close);
        }
        Poll.until("the revocation stream is back", Duration.ofSeconds(15), validator::isRevocationStreamLive);
    }
}
