package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.autolab.common.auth.AuthServiceValidator;
import dev.autolab.local.DevSuite;
import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.RevokeTokenRequest;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/**
 * DESIGN §3: a revoked token is refused within 1 s by every service connected to the revocation
 * stream, whichever replica of auth-service revoked it. Two auth-service replicas (processes) on one
 * PostgreSQL: the suite's own (A) and a second one (B) started here from the same jar.
 *
 * <p>The 1 s goal is checked from the moment the revoke call returned (the revocation is committed
 * then); the figures from the call's start are printed too, and on this shared machine they mostly
 * measure its load.
 */
class ReplicaRevocationTest {
    private static final int ROUNDS = 20;
    private static final Duration GOAL = Duration.ofSeconds(1);
    private static final String PASSWORD = "correct horse battery";

    private static ServiceReplica replicaB;
    private static ManagedChannel a;
    private static ManagedChannel b;

    @BeforeAll
    static void startSecondReplica() throws Exception {
        DevSuite suite = Suite.get();
        replicaB = ServiceReplica.launch(suite, "auth-service", Map.of("AUTOLAB_SIGNUP_OPEN", "true"))
                .awaitReady();
        a = ServiceReplica.channel(suite.service("auth-service").port());
        b = replicaB.channel();
    }

    @AfterAll
    static void stopSecondReplica() throws InterruptedException {
        if (a != null) {
            a.shutdownNow();
        }
        if (replicaB != null) {
            replicaB.close();
        }
    }

    private static <S extends AbstractStub<S>> S as(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** A new user, signed up and signed in on {@code channel}; returns its session. */
    private static String signUp(ManagedChannel channel) {
        String handle = "rev-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        UserServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .createUser(CreateUserRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(PASSWORD)
                        .setEmail(handle + "@example.org")
                        .build());
        return SessionServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .createSession(CreateSessionRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(PASSWORD)
                        .build())
                .getToken();
    }

    private static String mint(ManagedChannel channel, String session, String name) {
        return as(TokenServiceGrpc.newBlockingStub(channel), session)
                .createToken(CreateTokenRequest.newBuilder().setName(name).build())
                .getSecret();
    }

    private static void revoke(ManagedChannel channel, String session, String name) {
        as(TokenServiceGrpc.newBlockingStub(channel), session)
                .revokeToken(RevokeTokenRequest.newBuilder().setRef(name).build());
    }

    private static boolean refused(ManagedChannel channel, String token) {
        try {
            as(UserServiceGrpc.newBlockingStub(channel), token).whoAmI(WhoAmIRequest.getDefaultInstance());
            return false;
        } catch (StatusRuntimeException e) {
            assertEquals(
                    Status.Code.UNAUTHENTICATED,
                    e.getStatus().getCode(),
                    e.getStatus().toString());
            return true;
        }
    }

    /** Nanoseconds until {@code condition} holds, polling; fails past 5 s (the no-stream bound). */
    private static long timeUntil(String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " not within 5 s");
            }
            LockSupport.parkNanos(200_000); // polling interval
        }
        return System.nanoTime() - start;
    }

    private static String report(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return String.format(
                "%s over %d rounds: p50 %.1f ms, p90 %.1f ms, max %.1f ms",
                what,
                sorted.size(),
                sorted.get(sorted.size() / 2) / 1e6,
                sorted.get(sorted.size() * 9 / 10) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6);
    }

    @Test
    void aTokenRevokedOnReplicaAIsRefusedByReplicaBWithinASecond() {
        String session = signUp(a);
        List<Long> latencies = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String name = "round-" + round;
            String pat = mint(a, session, name);
            // Warm B's cache: from here B answers from memory until it hears of the revocation.
            assertEquals(false, refused(b, pat));
            assertEquals(false, refused(b, pat));
            long start = System.nanoTime();
            revoke(a, session, name);
            long call = System.nanoTime() - start;
            long after = timeUntil("replica B refusing " + name, () -> refused(b, pat));
            latencies.add(after);
            totals.add(call + after);
        }
        String summary =
                report("revoked on replica A, refused by replica B (after the revoke call returned)", latencies);
        System.out.println(summary);
        System.out.println(report("  the same from the revoke call's start", totals));
        assertTrue(latencies.stream().allMatch(ns -> ns < GOAL.toNanos()), summary);
    }

    @Test
    void aServiceWatchingReplicaAHearsOfRevocationsMadeOnReplicaB() {
        // What keys-service and node-registry run: ValidateToken behind a cache fed by the stream.
        try (AuthServiceValidator validator = new AuthServiceValidator(
                MutinyInternalAuthServiceGrpc.newMutinyStub(a), "e2e", Duration.ofSeconds(5), 1000)) {
            timeUntil("the revocation stream from replica A going live", validator::isRevocationStreamLive);
            String session = signUp(b);
            List<Long> latencies = new ArrayList<>();
            List<Long> totals = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                String name = "watched-" + round;
                String pat = mint(b, session, name);
                assertNotNull(validator.validate(pat).await().atMost(Duration.ofSeconds(5)));
                assertNotNull(validator.cachedOrNull(pat), "cached (for up to 60 s while the stream is live)");
                long start = System.nanoTime();
                revoke(b, session, name);
                long call = System.nanoTime() - start;
                long after =
                        timeUntil("the watching service forgetting " + name, () -> validator.cachedOrNull(pat) == null);
                latencies.add(after);
                totals.add(call + after);
                try {
                    validator.validate(pat).await().atMost(Duration.ofSeconds(5));
                    fail("a revoked token was accepted");
                } catch (StatusRuntimeException e) {
                    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
                }
            }
            String summary = report(
                    "revoked on replica B, dropped by a service watching replica A (after the revoke"
                            + " call returned)",
                    latencies);
            System.out.println(summary);
            System.out.println(report("  the same from the revoke call's start", totals));
            assertTrue(latencies.stream().allMatch(ns -> ns < GOAL.toNanos()), summary);
        }
    }
}
