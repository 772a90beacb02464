package dev.autolab.e2e;

import static dev.autolab.e2e.NodeClient.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.autolab.local.DevSuite;
import dev.autolab.proto.auth.v1.ApproveDeviceRequest;
import dev.autolab.proto.auth.v1.CreateProjectRequest;
import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.DeviceCodeRequest;
import dev.autolab.proto.auth.v1.DeviceCodeResponse;
import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.PollDeviceTokenRequest;
import dev.autolab.proto.auth.v1.PollDeviceTokenResponse;
import dev.autolab.proto.auth.v1.ProjectServiceGrpc;
import dev.autolab.proto.auth.v1.RevokeTokenRequest;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import dev.autolab.proto.keys.v1.AddKeyRequest;
import dev.autolab.proto.keys.v1.KeyResolutionServiceGrpc;
import dev.autolab.proto.keys.v1.KeyServiceGrpc;
import dev.autolab.proto.keys.v1.ListKeysRequest;
import dev.autolab.proto.keys.v1.ProjectLlmServiceGrpc;
import dev.autolab.proto.keys.v1.RecordUsageRequest;
import dev.autolab.proto.keys.v1.ResolveProjectKeyRequest;
import dev.autolab.proto.keys.v1.ResolvedKey;
import dev.autolab.proto.keys.v1.SetProjectLlmRequest;
import dev.autolab.proto.nodes.v1.ListNodesRequest;
import dev.autolab.proto.nodes.v1.Node;
import dev.autolab.proto.nodes.v1.NodeServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeStatus;
import dev.autolab.proto.nodes.v1.RemoveNodeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/**
 * Issue 11 item 5: two replicas each of auth-service, keys-service and node-registry on one database
 * each behave as one. Replica A of each is the suite's own; replica B of each is started here from the
 * same jar with the suite's environment, and B's keys-service and node-registry use B's auth-service, so
 * whatever crosses from one to the other goes through PostgreSQL (rows, advisory locks, LISTEN/NOTIFY)
 * and the revocation stream, as between pods. Sign-in throttling under a parallel burst is
 * {@link ReplicaSignInTest}'s, and revocation latency {@link ReplicaRevocationTest}'s.
 */
class ReplicasTest {
    private static final String PASSWORD = "correct horse battery";
    private static final Duration SOON = Duration.ofSeconds(10);

    private static ServiceReplica authB;
    private static ServiceReplica keysB;
    private static ServiceReplica nodesB;
    private static ManagedChannel authA;
    private static ManagedChannel keysA;
    private static ManagedChannel nodesA;

    @BeforeAll
    static void startReplicasB() throws Exception {
        DevSuite suite = Suite.get();
        authA = ServiceReplica.channel(suite.service("auth-service").port());
        keysA = ServiceReplica.channel(suite.service("keys-service").port());
        nodesA = ServiceReplica.channel(suite.service("node-registry").port());
        authB = ServiceReplica.launch(suite, "auth-service", Map.of());
        String viaB = DevSuite.LOOPBACK + ":" + authB.port();
        // Started together; the first calls of keys and nodes B to auth-service B wait for it.
        keysB = ServiceReplica.launch(suite, "keys-service", Map.of("AUTOLAB_AUTH_ADDRESS", viaB));
        nodesB = ServiceReplica.launch(suite, "node-registry", Map.of("AUTOLAB_AUTH_ADDRESS", viaB));
        authB.awaitReady();
        keysB.awaitReady();
        nodesB.awaitReady();
    }

    @AfterAll
    static void stopReplicasB() throws InterruptedException {
        for (ManagedChannel channel : new ManagedChannel[] {authA, keysA, nodesA}) {
            if (channel != null) {
                channel.shutdownNow();
            }
        }
        for (ServiceReplica replica : new ServiceReplica[] {nodesB, keysB, authB}) {
            if (replica != null) {
                replica.close();
            }
        }
    }

    private static <S extends AbstractStub<S>> S from(S stub, String address) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), address);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static String unique(String base) {
        return base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    }

    private static String address() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "203.0." + r.nextInt(114, 256) + "." + r.nextInt(1, 255);
    }

    /** A user signed up on replica A, with a browser session, a PAT and a project of their own. */
    private record Account(String handle, String session, String pat, String project) {}

    private static Account account(String base) {
        String handle = unique(base);
        UserServiceGrpc.newBlockingStub(authA)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .createUser(CreateUserRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(PASSWORD)
                        .setEmail(handle + "@example.org")
                        .build());
        String session = signIn(authA, address(), handle, PASSWORD);
        String pat = as(TokenServiceGrpc.newBlockingStub(authA), session)
                .createToken(CreateTokenRequest.newBuilder().setName("replicas").build())
                .getSecret();
        String project = as(ProjectServiceGrpc.newBlockingStub(authA), pat)
                .createProject(CreateProjectRequest.newBuilder().setName("lab").build())
                .getName();
        return new Account(handle, session, pat, project);
    }

    private static String signIn(ManagedChannel auth, String address, String handle, String password) {
        return from(SessionServiceGrpc.newBlockingStub(auth), address)
                .createSession(CreateSessionRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(password)
                        .build())
                .getToken();
    }

    private static Status refusal(Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        return e.getStatus();
    }

    private static void within(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " not within " + limit);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // polling interval
        }
    }

    /** Failed sign-ins count in PostgreSQL: five free guesses for a handle from an address, whichever replica. */
    @Test
    void signInThrottlingIsShared() {
        Account alice = account("throttle");
        String attacker = address();
        List<Status.Code> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ManagedChannel replica = i % 2 == 0 ? authA : authB.channel();
            String guess = "wrong password " + i;
            answers.add(refusal(() -> signIn(replica, attacker, alice.handle(), guess))
                    .getCode());
        }
        assertEquals(
                List.of(Status.Code.UNAUTHENTICATED),
                answers.subList(0, 5).stream().distinct().toList(),
                answers.toString());
        assertEquals(
                List.of(Status.Code.RESOURCE_EXHAUSTED),
                answers.subList(5, 8).stream().distinct().toList(),
                answers.toString());
        // Even the right password waits now, on either replica; from another address it signs in.
        Status waiting = refusal(() -> signIn(authB.channel(), attacker, alice.handle(), PASSWORD));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, waiting.getCode(), waiting.toString());
        signIn(authB.channel(), address(), alice.handle(), PASSWORD);
    }

    /** A token revoked on B is refused by A and by keys-service A (which watches A's revocation stream). */
    @Test
    void aRevocationOnOneReplicaIsSeenByBoth() {
        Account bob = account("revoke");
        String pat = as(TokenServiceGrpc.newBlockingStub(authB.channel()), bob.session())
                .createToken(
                        CreateTokenRequest.newBuilder().setName("short-lived").build())
                .getSecret();
        // Both replicas of auth-service and of keys-service know it (their caches are warm).
        assertEquals(
                bob.handle(),
                as(UserServiceGrpc.newBlockingStub(authA), pat)
                        .whoAmI(WhoAmIRequest.getDefaultInstance())
                        .getUser()
                        .getHandle());
        as(KeyServiceGrpc.newBlockingStub(keysA), pat).listKeys(ListKeysRequest.getDefaultInstance());
        as(KeyServiceGrpc.newBlockingStub(keysB.channel()), pat).listKeys(ListKeysRequest.getDefaultInstance());

        as(TokenServiceGrpc.newBlockingStub(authB.channel()), bob.session())
                .revokeToken(
                        RevokeTokenRequest.newBuilder().setRef("short-lived").build());
        for (ManagedChannel auth : List.of(authA, authB.channel())) {
            within(
                    Duration.ofSeconds(1),
                    "refused by an auth-service replica",
                    () -> refused(() ->
                            as(UserServiceGrpc.newBlockingStub(auth), pat).whoAmI(WhoAmIRequest.getDefaultInstance())));
        }
        for (ManagedChannel keys : List.of(keysA, keysB.channel())) {
            within(
                    Duration.ofSeconds(1),
                    "refused by a keys-service replica",
                    () -> refused(() -> as(KeyServiceGrpc.newBlockingStub(keys), pat)
                            .listKeys(ListKeysRequest.getDefaultInstance())));
        }
    }

    private static boolean refused(Runnable call) {
        try {
            call.run();
            return false;
        } catch (StatusRuntimeException e) {
            assertEquals(
                    Status.Code.UNAUTHENTICATED,
                    e.getStatus().getCode(),
                    e.getStatus().toString());
            return true;
        }
    }

    /** The device grant's state is in PostgreSQL: asked on A, polled on B, approved on B, redeemed on A. */
    @Test
    void aDeviceCodeStartedOnOneReplicaIsApprovedAndRedeemedOnTheOther() {
        Account carol = account("device");
        DeviceCodeResponse code = from(DeviceServiceGrpc.newBlockingStub(authA), address())
                .requestDeviceCode(DeviceCodeRequest.newBuilder()
                        .setClientName("replica-box")
                        .build());
        PollDeviceTokenRequest poll = PollDeviceTokenRequest.newBuilder()
                .setDeviceCode(code.getDeviceCode())
                .build();
        Status pending = refusal(() -> DeviceServiceGrpc.newBlockingStub(authB.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .pollDeviceToken(poll));
        assertTrue(pending.getDescription().startsWith("authorization_pending"), pending.toString());
        // B's poll counts on A: polling again at once is too fast, whichever replica is asked.
        Status tooFast = refusal(() -> DeviceServiceGrpc.newBlockingStub(authA)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .pollDeviceToken(poll));
        assertTrue(tooFast.getDescription().startsWith("slow_down"), tooFast.toString());

        as(DeviceServiceGrpc.newBlockingStub(authB.channel()), carol.session())
                .approveDevice(ApproveDeviceRequest.newBuilder()
                        .setUserCode(code.getUserCode())
                        .build());
        PollDeviceTokenResponse done = DeviceServiceGrpc.newBlockingStub(authA)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .pollDeviceToken(poll);
        assertEquals(carol.handle(), done.getHandle());
        assertEquals("login@replica-box", done.getToken().getName());
        assertEquals(
                carol.handle(),
                as(UserServiceGrpc.newBlockingStub(authB.channel()), done.getAccessToken())
                        .whoAmI(WhoAmIRequest.getDefaultInstance())
                        .getUser()
                        .getHandle());
        // Redeemed once, on either replica.
        Status again = refusal(() -> DeviceServiceGrpc.newBlockingStub(authB.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .pollDeviceToken(poll));
        assertTrue(again.getDescription().startsWith("invalid_grant"), again.toString());
    }

    private static Node node(ManagedChannel nodes, String pat, String project, String id) {
        return as(NodeServiceGrpc.newBlockingStub(nodes), pat)
                .listNodes(ListNodesRequest.newBuilder().setProject(project).build())
                .getNodesList()
                .stream()
                .filter(n -> n.getId().equals(id))
                .findFirst()
                .orElse(null);
    }

    /**
     * A node's lease, held on A, shows through B; removed through B, or its token revoked on auth-service
     * B, the node connected to A is told why and disconnected.
     */
    @Test
    void aNodeConnectedToOneReplicaIsSeenAndCutOffThroughTheOther() throws Exception {
        Account dan = account("nodes");
        try (NodeClient onA = new NodeClient(ServiceReplica.channel(
                        Suite.get().service("node-registry").port()));
                NodeClient onB = new NodeClient(ServiceReplica.channel(nodesB.port()))) {
            String removedId;
            String credential;
            var registered = onB.register(dan.pat(), dan.project(), unique("m"), "gpu-a");
            removedId = registered.getNode().getId();
            credential = registered.getNodeCredential();
            NodeClient.Stream stream = onA.connect(credential);
            stream.lease(SOON);
            assertEquals(
                    NodeStatus.NODE_STATUS_ONLINE,
                    node(nodesA, dan.pat(), dan.project(), removedId).getStatus());
            within(Duration.ofSeconds(15), "the lease held on A online through B", () -> {
                Node seen = node(nodesB.channel(), dan.pat(), dan.project(), removedId);
                return seen != null && seen.getStatus() == NodeStatus.NODE_STATUS_ONLINE;
            });

            as(NodeServiceGrpc.newBlockingStub(nodesB.channel()), dan.pat())
                    .removeNode(RemoveNodeRequest.newBuilder()
                            .setProject(dan.project())
                            .setNode(removedId)
                            .build());
            assertEquals("node_removed", stream.disconnect(SOON).getReason());
            assertEquals(null, node(nodesA, dan.pat(), dan.project(), removedId));

            // A node registered with a PAT of its own, connected to A; the PAT revoked on auth-service B.
            String pat = as(TokenServiceGrpc.newBlockingStub(authA), dan.session())
                    .createToken(
                            CreateTokenRequest.newBuilder().setName("node-pat").build())
                    .getSecret();
            var second = onA.register(pat, dan.project(), unique("m"), "gpu-b");
            NodeClient.Stream secondStream = onA.connect(second.getNodeCredential());
            secondStream.lease(SOON);
            as(TokenServiceGrpc.newBlockingStub(authB.channel()), dan.session())
                    .revokeToken(
                            RevokeTokenRequest.newBuilder().setRef("node-pat").build());
            assertEquals("token_revoked", secondStream.disconnect(SOON).getReason());
        }
    }

    /**
     * Spend is counted in PostgreSQL once per usage id, whichever replica a report reaches, and the limit
     * holds on both: ten reports, each sent to both replicas at once, add exactly ten reports' worth, and
     * at the limit both refuse to resolve the key.
     */
    @Test
    void spendThroughBothKeysReplicasIsExactAndTheLimitHoldsOnBoth() throws Exception {
        Account erin = account("spend");
        String keyId = as(KeyServiceGrpc.newBlockingStub(keysA), erin.pat())
                .addKey(AddKeyRequest.newBuilder()
                        .setProvider("openai")
                        .setName("shared")
                        .setValue("sk-replicas-000000000000000000000000KEY")
                        .setLimitMicroUsd(1_000_000)
                        .build())
                .getId();
        as(ProjectLlmServiceGrpc.newBlockingStub(keysB.channel()), erin.pat())
                .setProjectLlm(SetProjectLlmRequest.newBuilder()
                        .setProject(erin.project())
                        .setKey("shared")
                        .build());
        String node;
        try (NodeClient nodes = new NodeClient(ServiceReplica.channel(nodesB.port()))) {
            node = nodes.register(erin.pat(), erin.project(), unique("m"), "spender")
                    .getNodeCredential();
        }
        ResolveProjectKeyRequest resolve =
                ResolveProjectKeyRequest.newBuilder().setProject(erin.project()).build();
        for (ManagedChannel keys : List.of(keysA, keysB.channel())) {
            ResolvedKey key =
                    as(KeyResolutionServiceGrpc.newBlockingStub(keys), node).resolveProjectKey(resolve);
            assertEquals(keyId, key.getKeyId());
        }

        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Long>> reports = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                RecordUsageRequest report = RecordUsageRequest.newBuilder()
                        .setProject(erin.project())
                        .setKeyId(keyId)
                        .setMicroUsd(100_000)
                        .setUsageId("run-" + i)
                        .build();
                // The same report to both replicas at once: a node retrying against another pod.
                for (ManagedChannel keys : List.of(keysA, keysB.channel())) {
                    reports.add(() -> as(KeyResolutionServiceGrpc.newBlockingStub(keys), node)
                            .recordUsage(report)
                            .getSpentMicroUsd());
                }
            }
            long highest = 0;
            for (Future<Long> f : pool.invokeAll(reports)) {
                highest = Math.max(highest, f.get());
            }
            assertEquals(1_000_000, highest, "ten reports of $0.10 each, each counted once");
        } finally {
            pool.shutdownNow();
        }
        var listed = as(KeyServiceGrpc.newBlockingStub(keysB.channel()), erin.pat())
                .listKeys(ListKeysRequest.getDefaultInstance())
                .getKeysList();
        assertEquals(1_000_000, listed.get(0).getSpentMicroUsd(), listed.get(0).toString());
        for (ManagedChannel keys : List.of(keysA, keysB.channel())) {
            Status limited = refusal(() ->
                    as(KeyResolutionServiceGrpc.newBlockingStub(keys), node).resolveProjectKey(resolve));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, limited.getCode(), limited.toString());
            assertTrue(limited.getDescription().contains("spending limit of $1.00"), limited.toString());
        }
    }
}
