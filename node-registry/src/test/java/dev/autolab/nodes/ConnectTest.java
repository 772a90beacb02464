package dev.autolab.nodes;

import static dev.autolab.nodes.support.Requests.register;
import static dev.autolab.nodes.support.Requests.registration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.nodes.lease.ConnectedNodes;
import dev.autolab.nodes.lease.NodeSweeper;
import dev.autolab.nodes.support.Api;
import dev.autolab.nodes.support.FakeAuthResource;
import dev.autolab.nodes.support.NodeStream;
import dev.autolab.nodes.support.Poll;
import dev.autolab.nodes.support.TestClock;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.ListNodesRequest;
import dev.autolab.proto.nodes.v1.Node;
import dev.autolab.proto.nodes.v1.NodeStatus;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import dev.autolab.proto.nodes.v1.Resources;
import dev.autolab.testing.Db;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Connect: leases granted and renewed by heartbeats, expiry and removal after the grace (driven by
 * moving the service's clock and running the sweep), and the node told why when its credential dies.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_nodes"))
@WithTestResource(value = FakeAuthResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ConnectTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** Heartbeats are answered at most once per half heartbeat interval (10 s). */
    private static final Duration HALF_INTERVAL = Duration.ofSeconds(5);
    /** How soon a pushed revocation reaches the node (DESIGN: ~1 s; doubled for a loaded 2-core machine). */
    private static final Duration PUSHED = Duration.ofSeconds(2);

    FakeAuthService auth;

    @Inject
    TestClock clock;

    @Inject
    NodeSweeper sweeper;

    @Inject
    ConnectedNodes connected;

    @Inject
    MeterRegistry metrics;

    private FakeAuthService.Account alice;
    private String project;

    @BeforeEach
    void project() {
        alice = auth.user("alice");
        project = auth.project(alice, "nanochat");
        Poll.until("node-registry watching revocations", Duration.ofSeconds(15), () -> auth.watchers() > 0);
    }

    private void sweep() {
        sweeper.sweep().await().atMost(Duration.ofSeconds(15));
        // Removals are bounded per sweep; other tests' nodes may be ahead in the queue.
        while (sweeper.removeOffline().await().atMost(Duration.ofSeconds(30)) > 0) {
            // the next batch
        }
    }

    private Node listed(String nodeId) {
        return Api.nodes(alice.token())
                .listNodes(ListNodesRequest.newBuilder().setProject(project).build())
                .getNodesList()
                .stream()
                .filter(n -> n.getId().equals(nodeId))
                .findFirst()
                .orElse(null);
    }

    private Instant leaseOf(ControlMessage m) {
        assertTrue(m.hasLease(), "a lease, not " + m);
        return Instant.ofEpochSecond(
                m.getLease().getExpiresAt().getSeconds(),
                m.getLease().getExpiresAt().getNanos());
    }

    private static void assertDisconnect(String reason, ControlMessage m) {
        assertTrue(m.hasDisconnect(), "a Disconnect, not " + m);
        assertEquals(reason, m.getDisconnect().getReason());
        assertFalse(m.getDisconnect().getMessage().isBlank(), "a message for people");
    }

    @Test
    void connectingGrantsALeaseAndHeartbeatsRenewIt() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "gpu-box"));
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            Instant first = leaseOf(node.next());
            assertEquals(clock.instant().plus(LEASE).toEpochMilli(), first.toEpochMilli());
            assertEquals(
                    NodeStatus.NODE_STATUS_ONLINE, listed(r.getNode().getId()).getStatus());

            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofSeconds(20));
                node.heartbeat();
                assertEquals(
                        clock.instant().plus(LEASE).toEpochMilli(),
                        leaseOf(node.next()).toEpochMilli(),
                        "each heartbeat renews the lease from now");
                sweep();
                assertFalse(node.hasEnded(), "a node that heartbeats keeps its stream");
            }
            assertEquals(
                    NodeStatus.NODE_STATUS_ONLINE, listed(r.getNode().getId()).getStatus());
            assertEquals(
                    clock.instant().toEpochMilli(),
                    listed(r.getNode().getId()).getLastSeenAt().getSeconds() * 1000
                            + listed(r.getNode().getId()).getLastSeenAt().getNanos() / 1_000_000);
        }
    }

    @Test
    void heartbeatsRenewTheLeaseEachTimeButAreAnsweredAtMostOncePerHalfInterval() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "chatty"));
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            leaseOf(node.next());
            clock.advance(Duration.ofSeconds(1));
            double before = metrics.counter("autolab.nodes.heartbeats").count();
            for (int i = 0; i < 5; i++) {
                node.heartbeat(); // renewed, not answered
            }
            // Only once the registry has taken all five does time move on.
            Poll.until(
                    "the five heartbeats reach the registry",
                    Duration.ofSeconds(10),
                    () -> metrics.counter("autolab.nodes.heartbeats").count() >= before + 5);
            clock.advance(HALF_INTERVAL);
            node.heartbeat();
            // Messages arrive in order: had the five been answered, their older leases would come first.
            assertEquals(
                    clock.instant().plus(LEASE).toEpochMilli(),
                    leaseOf(node.next()).toEpochMilli(),
                    "the first answer since connecting is the one half an interval later");
            assertFalse(node.hasEnded(), "six heartbeats within an interval are not a flood");
        }
    }

    @Test
    void aNodeFloodingHeartbeatsIsCutOff() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "flood"));
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            leaseOf(node.next());
            for (int i = 0; i < 11; i++) {
                node.heartbeat();
            }
            Status refused = node.awaitEnd();
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode());
            assertEquals(
                    "this node sent more than 10 heartbeats within 10 s; send one every heartbeat_interval_seconds"
                            + " (as `autolab serve` does) and connect again",
                    refused.getDescription());
            assertEquals(0, node.pending(), "no lease was sent for the flood");
        }
    }

    @Test
    void leasesReachPostgresInOneBatchedFlushNotPerHeartbeat() throws Exception {
        RegisterNodeResponse a = register(alice.token(), registration(project, "a"));
        RegisterNodeResponse b = register(alice.token(), registration(project, "b"));
        try (NodeStream na = NodeStream.open(a.getNodeCredential());
                NodeStream nb = NodeStream.open(b.getNodeCredential())) {
            na.next();
            nb.next();
            clock.advance(Duration.ofSeconds(5));
            na.heartbeat(
                    Resources.newBuilder().setCpus(8).setMemoryBytes(1L << 34).build());
            na.next();
            nb.heartbeat();
            nb.next();
            assertEquals(
                    List.of(List.of("false"), List.of("false")),
                    Db.rows(
                            "SELECT (lease_expires_at IS NOT NULL)::text FROM nodes WHERE project = ? ORDER BY hostname",
                            project),
                    "heartbeats alone write nothing");

            int written = connected.flush().await().atMost(Duration.ofSeconds(15));
            assertTrue(written >= 2, "both leases in one flush: " + written);
            long expected = clock.instant().plus(LEASE).toEpochMilli();
            for (String id : List.of(a.getNode().getId(), b.getNode().getId())) {
                assertEquals(
                        List.of(List.of(Long.toString(expected))),
                        Db.rows(
                                "SELECT (extract(epoch FROM lease_expires_at) * 1000)::bigint FROM nodes"
                                        + " WHERE id = ?::uuid",
                                id),
                        "the lease as granted");
            }
            assertEquals(8, listed(a.getNode().getId()).getResources().getCpus(), "reported resources are stored");
        }
    }

    @Test
    void aFlushNeverOverwritesAFresherLeaseWrittenByAnotherReplica() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "moved"));
        String id = r.getNode().getId();
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            node.next();
            // The node reconnected to another replica, which stored a later sighting and lease.
            Instant seenThere = clock.instant().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            Db.update(
                    "UPDATE nodes SET last_seen_at = ?, lease_expires_at = ? WHERE id = ?::uuid",
                    java.time.OffsetDateTime.ofInstant(seenThere, java.time.ZoneOffset.UTC),
                    java.time.OffsetDateTime.ofInstant(seenThere.plus(LEASE), java.time.ZoneOffset.UTC),
                    id);

            connected.flush().await().atMost(Duration.ofSeconds(15));

            assertEquals(
                    List.of(List.of(Long.toString(seenThere.plus(LEASE).toEpochMilli()))),
                    Db.rows(
                            "SELECT (extract(epoch FROM lease_expires_at) * 1000)::bigint FROM nodes"
                                    + " WHERE id = ?::uuid",
                            id),
                    "the fresher lease stays");
        }
    }

    @Test
    void aMissedLeaseDisconnectsTheNodeWhichGoesOfflineAndIsRemovedAfterTheGrace() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "sleepy"));
        String id = r.getNode().getId();
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            node.next();
            clock.advance(LEASE.minusSeconds(1));
            sweep();
            assertFalse(node.hasEnded(), "still within the lease");

            clock.advance(Duration.ofSeconds(2));
            sweep();
            assertDisconnect("lease_expired", node.next());
            assertEquals(Status.Code.OK, node.awaitEnd().getCode());
            assertEquals(NodeStatus.NODE_STATUS_OFFLINE, listed(id).getStatus());
            assertEquals(1, auth.liveCredentials(id), "an offline node keeps its credential to come back");
        }

        clock.advance(Duration.ofHours(23));
        sweep();
        assertEquals(NodeStatus.NODE_STATUS_OFFLINE, listed(id).getStatus(), "kept within the grace");

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        sweep();
        assertNull(listed(id), "removed after 24 h offline");
        assertEquals(0, auth.liveCredentials(id), "its credentials revoked");
        assertTrue(Db.rows("SELECT 1 FROM nodes WHERE id = ?::uuid", id).isEmpty());
    }

    @Test
    void aNodeThatComesBackWithinTheGraceIsOnlineAgain() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "flaky"));
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            node.next();
            node.drop();
        }
        clock.advance(LEASE.plusSeconds(1));
        sweep();
        assertEquals(NodeStatus.NODE_STATUS_OFFLINE, listed(r.getNode().getId()).getStatus());
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            leaseOf(node.next());
            assertEquals(
                    NodeStatus.NODE_STATUS_ONLINE, listed(r.getNode().getId()).getStatus());
        }
    }

    @Test
    void aNodeThatSaysGoodbyeIsOfflineAtOnce() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "polite"));
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            node.next();
            connected.flush().await().atMost(Duration.ofSeconds(15));
            assertEquals(List.of(List.of("true")), onlineInPostgres(r), "online in PostgreSQL");
            node.leave();
            assertEquals(Status.Code.OK, node.awaitEnd().getCode());
            Poll.until(
                    "the stream ends here",
                    Duration.ofSeconds(5),
                    () -> !connected.isConnected(
                            java.util.UUID.fromString(r.getNode().getId())));
            assertEquals(
                    NodeStatus.NODE_STATUS_OFFLINE, listed(r.getNode().getId()).getStatus());
            connected.flush().await().atMost(Duration.ofSeconds(15));
            assertEquals(
                    List.of(List.of("false")), onlineInPostgres(r), "its lease ended when it left, not 30 s later");
        }
    }

    private List<List<String>> onlineInPostgres(RegisterNodeResponse r) {
        return Db.rows(
                "SELECT (lease_expires_at > ?)::text FROM nodes WHERE id = ?::uuid",
                java.sql.Timestamp.from(clock.instant()),
                java.util.UUID.fromString(r.getNode().getId()));
    }

    @Test
    void revokingTheRegisteringTokenDisconnectsWithTokenRevoked() throws Exception {
        String pat = auth.anotherToken(alice);
        RegisterNodeResponse r = register(pat, registration(project, "box"));
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            node.next();
            long sent = System.nanoTime();
            auth.revoke(pat);
            assertDisconnect("token_revoked", node.next(PUSHED));
            System.out.printf("token_revoked reached the node in %.1f ms%n", (System.nanoTime() - sent) / 1e6);
            assertEquals(Status.Code.OK, node.awaitEnd().getCode());
            assertEquals(
                    NodeStatus.NODE_STATUS_OFFLINE,
                    listed(r.getNode().getId()).getStatus(),
                    "offline at once, not when its lease would have run out");
            connected.flush().await().atMost(Duration.ofSeconds(15));
            assertEquals(List.of(List.of("false")), onlineInPostgres(r));
        }
        try (NodeStream again = NodeStream.open(r.getNodeCredential())) {
            assertEquals(Status.Code.UNAUTHENTICATED, again.awaitEnd().getCode(), "the dead credential is refused");
        }
    }

    @Test
    void losingTheRoleDisconnectsWithRoleLost() throws Exception {
        var bob = auth.user("bob");
        auth.grant(bob, project, Role.ROLE_RESEARCHER);
        RegisterNodeResponse r = register(bob.token(), registration(project, "bobs-box"));
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            node.next();
            auth.grant(bob, project, Role.ROLE_VIEWER);
            assertDisconnect("role_lost", node.next(PUSHED));
        }
        var carol = auth.user("carol");
        auth.grant(carol, project, Role.ROLE_ADMIN);
        RegisterNodeResponse c = register(carol.token(), registration(project, "carols-box"));
        try (NodeStream node = NodeStream.open(c.getNodeCredential())) {
            node.next();
            auth.removeMember(carol, project);
            assertDisconnect("role_lost", node.next(PUSHED));
        }
    }

    @Test
    void registeringTheMachineAgainDisconnectsTheOldStreamWithNodeReregistered() throws Exception {
        RegisterNodeRequest.Builder request = registration(project, "twin");
        RegisterNodeResponse first = register(alice.token(), request);
        try (NodeStream node = NodeStream.open(first.getNodeCredential())) {
            node.next();
            RegisterNodeResponse second = register(alice.token(), request);
            assertDisconnect("node_reregistered", node.next(PUSHED));
            try (NodeStream fresh = NodeStream.open(second.getNodeCredential())) {
                leaseOf(fresh.next());
            }
        }
    }

    @Test
    void aRevocationWithoutAReasonIsCredentialInvalid() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "box"));
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            node.next();
            auth.revokeWithReason(r.getNodeCredential(), "");
            assertDisconnect("credential_invalid", node.next(PUSHED));
        }
    }

    @Test
    void aNewerStreamOfTheSameNodeReplacesTheOlderWithoutADisconnect() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "box"));
        try (NodeStream older = NodeStream.open(r.getNodeCredential());
                NodeStream newer = NodeStream.open(r.getNodeCredential())) {
            older.next();
            newer.next();
            // Whichever attached last holds the node; the other was closed without a word.
            Poll.until("one stream ended", Duration.ofSeconds(5), () -> older.hasEnded() || newer.hasEnded());
            NodeStream ended = older.hasEnded() ? older : newer;
            NodeStream live = ended == older ? newer : older;
            assertEquals(Status.Code.OK, ended.awaitEnd().getCode());
            assertEquals(0, ended.pending(), "no Disconnect for a replaced stream");
            clock.advance(HALF_INTERVAL);
            live.heartbeat();
            leaseOf(live.next());
        }
    }

    @Test
    void onlyANodeCredentialMayConnect() throws Exception {
        try (NodeStream withPat = NodeStream.open(alice.token())) {
            Status refused = withPat.awaitEnd();
            assertEquals(Status.Code.PERMISSION_DENIED, refused.getCode());
            assertTrue(refused.getDescription().contains("node credential"), refused.getDescription());
        }
        try (NodeStream withSession = NodeStream.open(auth.session(alice))) {
            assertEquals(Status.Code.PERMISSION_DENIED, withSession.awaitEnd().getCode());
        }
    }

    @Test
    void aCredentialOfANodeThatNoLongerExistsIsToldNodeRemoved() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "ghost"));
        Db.update("DELETE FROM nodes WHERE id = ?::uuid", r.getNode().getId());
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            assertDisconnect("node_removed", node.next());
            assertEquals(Status.Code.OK, node.awaitEnd().getCode());
        }
    }

    @Test
    void badResourcesInAHeartbeatEndTheStreamNamingTheField() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "liar"));
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            node.next();
            node.heartbeat(Resources.newBuilder().setCpus(-4).build());
            Status refused = node.awaitEnd();
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getCode());
            assertTrue(refused.getDescription().contains("resources.cpus"), refused.getDescription());
        }
    }

    @Test
    void registrationsSurviveARestartAndANodeReconnectsWithItsStoredCredential() throws Exception {
        RegisterNodeResponse r = register(alice.token(), registration(project, "survivor"));
        String id = r.getNode().getId();
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            node.next();
            connected.flush().await().atMost(Duration.ofSeconds(15));
            // The process dies: its streams drop and its in-memory leases are gone.
            node.drop();
        }
        Poll.until(
                "the stream is gone",
                Duration.ofSeconds(5),
                () -> !connected.isConnected(java.util.UUID.fromString(id)));
        clock.advance(LEASE.plusSeconds(1));
        // What is left is PostgreSQL: the registration, and a lease that has run out.
        assertEquals(NodeStatus.NODE_STATUS_OFFLINE, listed(id).getStatus());
        assertEquals(
                List.of(List.of("survivor", alice.handle())),
                Db.rows("SELECT hostname, registered_by FROM nodes WHERE id = ?::uuid", id));

        int mints = auth.mints();
        try (NodeStream back = NodeStream.open(r.getNodeCredential())) {
            leaseOf(back.next());
            assertEquals(NodeStatus.NODE_STATUS_ONLINE, listed(id).getStatus());
            assertEquals(mints, auth.mints(), "no new registration");
        }
    }

    @Test
    void oneConnectionCarriesMoreThanAHundredNodeStreams() throws Exception {
        // As through the gateway: every stream on the one channel (HTTP/2 servers often cap a connection
        // at 100 concurrent streams; the 101st would wait forever for its lease).
        List<NodeStream> streams = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 150; i++) {
                String credential = auth.node(alice, project);
                String nodeId = auth.principalOf(credential).getNodeId();
                Db.update(
                        "INSERT INTO nodes (id, project, machine_id, hostname, registered_by, registered_by_user,"
                                + " registered_at) VALUES (?::uuid, ?, ?, ?, ?, ?::uuid, now())",
                        nodeId,
                        project,
                        "m-" + i,
                        "n-" + i,
                        alice.handle(),
                        alice.userId());
                streams.add(NodeStream.open(credential));
            }
            for (NodeStream stream : streams) {
                leaseOf(stream.next());
            }
            Poll.until("150 streams held", Duration.ofSeconds(10), () -> connected.size() >= 150);
        } finally {
            streams.forEach(NodeStream::close);
        }
    }
}
