package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.autolab.local.DevSuite;
import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;

/**
 * Issue 6 item 1 across processes: 40 wrong passwords for one handle, sent at once and split between
 * two auth-service replicas on one database, get the same 5 password checks as with one replica.
 */
class ReplicaSignInTest {
    private static final String PASSWORD = "correct horse battery";
    private static ServiceReplica replicaB;
    private static ManagedChannel a;

    @BeforeAll
    static void startSecondReplica() throws Exception {
        DevSuite suite = Suite.get();
        replicaB = ServiceReplica.launch(suite, "auth-service", Map.of("AUTOLAB_SIGNUP_OPEN", "true"))
                .awaitReady();
        a = ServiceReplica.channel(suite.service("auth-service").port());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (a != null) {
            a.shutdownNow();
        }
        if (replicaB != null) {
            replicaB.close();
        }
    }

    /** A sign-in as the gateway would forward it for a client at {@code address}. */
    private static Status.Code signIn(ManagedChannel channel, String address, String handle, String password) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), address);
        try {
            SessionServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .createSession(CreateSessionRequest.newBuilder()
                            .setHandle(handle)
                            .setPassword(password)
                            .build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void fortyParallelGuessesSplitBetweenTwoReplicasGetFiveChecks() throws Exception {
        String handle = "race-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        UserServiceGrpc.newBlockingStub(a)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .createUser(CreateUserRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(PASSWORD)
                        .setEmail(handle + "@example.org")
                        .build());
        String attacker = "203.0.113." + ThreadLocalRandom.current().nextInt(1, 255);
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Callable<Status.Code>> guesses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ManagedChannel replica = i % 2 == 0 ? a : replicaB.channel();
                String guess = "wrong password " + i;
                guesses.add(() -> signIn(replica, attacker, handle, guess));
            }
            List<Status.Code> codes = new ArrayList<>();
            for (Future<Status.Code> f : pool.invokeAll(guesses)) {
                codes.add(f.get());
            }
            Map<Status.Code, Long> answers =
                    codes.stream().collect(Collectors.groupingBy(c -> c, Collectors.counting()));
            System.out.println("40 parallel wrong sign-ins over two replicas: " + answers);
            assertEquals(5L, answers.getOrDefault(Status.Code.UNAUTHENTICATED, 0L), answers.toString());
            assertEquals(35L, answers.getOrDefault(Status.Code.RESOURCE_EXHAUSTED, 0L), answers.toString());
        } finally {
            pool.shutdownNow();
        }
        // Another user at the same address still signs in, on either replica.
        String other = "calm-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        UserServiceGrpc.newBlockingStub(replicaB.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .createUser(CreateUserRequest.newBuilder()
                        .setHandle(other)
                        .setPassword(PASSWORD)
                        .setEmail(other + "@example.org")
                        .build());
        assertEquals(Status.Code.OK, signIn(a, attacker, other, PASSWORD));
        assertEquals(Status.Code.OK, signIn(replicaB.channel(), attacker, other, PASSWORD));
    }
}
