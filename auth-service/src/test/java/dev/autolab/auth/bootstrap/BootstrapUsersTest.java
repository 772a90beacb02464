package dev.autolab.auth.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.testing.Db;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * First users from the operator's file: created at start when absent, never changed when present (a
 * password changed later survives restarts), and created once when several replicas start at once.
 * Sign-up is closed here, as in production.
 */
@QuarkusTest
@TestProfile(BootstrapUsersTest.Seeded.class)
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class BootstrapUsersTest {
    static final String ADMIN = "boot-admin";
    static final String ADMIN_PASSWORD = "bootstrap admin password";

    /** Sign-up closed and a users file, written before the application starts. */
    public static class Seeded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path file = write("# first users\n\n" + ADMIN + ":" + ADMIN_PASSWORD + "\n");
            return Map.of("autolab.auth.signup.open", "false", "autolab.auth.bootstrap.users-file", file.toString());
        }
    }

    @Inject
    BootstrapUsers bootstrap;

    private static Path write(String content) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "bootstrap"));
            Path file = Files.createTempFile(dir, "users-", ".txt");
            Files.writeString(file, content);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String handle(String base) {
        return base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    }

    private static ManagedChannel channel() {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
        return ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .build();
    }

    /** A sign-in from an address of its own (so no other test's failures throttle it): OK or the refusal's code. */
    private static Status.Code signIn(String handle, String password) {
        ManagedChannel channel = channel();
        try {
            Metadata headers = new Metadata();
            ThreadLocalRandom r = ThreadLocalRandom.current();
            headers.put(
                    Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER),
                    "198.18." + r.nextInt(256) + "." + r.nextInt(1, 255));
            SessionServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .createSession(CreateSessionRequest.newBuilder()
                            .setHandle(handle)
                            .setPassword(password)
                            .build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            channel.shutdownNow();
        }
    }

    private static String hashOf(String handle) {
        List<List<String>> rows = Db.rows("SELECT password_hash FROM users WHERE handle = ?", handle);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    @Test
    void theFilesUsersExistFromStartAndSignIn() {
        assertEquals(Status.Code.OK, signIn(ADMIN, ADMIN_PASSWORD));
        assertEquals(Status.Code.UNAUTHENTICATED, signIn(ADMIN, "not the bootstrap password"));
        assertTrue(hashOf(ADMIN).startsWith("$argon2id$"), "hashed as at sign-up");
        assertEquals(
                List.of(List.of(ADMIN, "")), Db.rows("SELECT display_name, email FROM users WHERE handle = ?", ADMIN));
        // Sign-up stays closed: the file is the only way in.
        ManagedChannel channel = channel();
        try {
            StatusRuntimeException refused = assertThrows(
                    StatusRuntimeException.class,
                    () -> UserServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .createUser(CreateUserRequest.newBuilder()
                                    .setHandle(handle("late"))
                                    .setPassword(ADMIN_PASSWORD)
                                    .setEmail("late@example.org")
                                    .build()));
            assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        } finally {
            channel.shutdownNow();
        }
    }

    /** A restart with the same file (or a new password in it) changes nobody who exists. */
    @Test
    void aPresentUserIsNeverChanged() {
        String before = hashOf(ADMIN);
        String newcomer = handle("new");
        BootstrapUsers.Outcome outcome =
                bootstrap.apply(write(ADMIN + ":a different password now\n" + newcomer + ":newcomer password\n"));
        assertEquals(List.of(newcomer), outcome.created());
        assertEquals(List.of(ADMIN), outcome.present());
        assertEquals(before, hashOf(ADMIN));
        assertEquals(Status.Code.OK, signIn(ADMIN, ADMIN_PASSWORD));
        assertEquals(Status.Code.UNAUTHENTICATED, signIn(ADMIN, "a different password now"));
        assertEquals(Status.Code.OK, signIn(newcomer, "newcomer password"));

        // The operator changes the newcomer's password (here: in the database); the next start keeps it.
        Db.update("UPDATE users SET password_hash = ? WHERE handle = ?", hashOf(ADMIN), newcomer);
        BootstrapUsers.Outcome again = bootstrap.apply(write(newcomer + ":newcomer password\n"));
        assertEquals(List.of(), again.created());
        assertEquals(List.of(newcomer), again.present());
        assertEquals(Status.Code.OK, signIn(newcomer, ADMIN_PASSWORD));
        assertEquals(Status.Code.UNAUTHENTICATED, signIn(newcomer, "newcomer password"));
    }

    /** A bad file fails the start with the file and the line, and neither the password nor the line's text. */
    @Test
    void aBadLineFailsWithItsNumberAndNoPassword() {
        String secret = "hunter2-hunter2-secret";
        String good = handle("good");
        Path file = write(good + ":" + secret + "\n# note\nNot A Handle:" + secret + "\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bootstrap.apply(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 3: the handle is not valid"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
        assertFalse(e.getMessage().contains("Not A Handle"), e.getMessage());
        // Nothing of a bad file is applied, not even its good lines.
        assertEquals(null, hashOf(good));

        Path missing = Path.of("target", "bootstrap", "no-such-file.txt").toAbsolutePath();
        IllegalStateException unreadable = assertThrows(IllegalStateException.class, () -> bootstrap.apply(missing));
        assertTrue(
                unreadable.getMessage().contains("cannot read the bootstrap users file " + missing),
                unreadable.getMessage());
    }

    /** Replicas starting together: each user is created exactly once and every start succeeds. */
    @Test
    void startsAtOnceCreateEachUserOnce() throws Exception {
        List<String> handles = List.of(handle("race-a"), handle("race-b"), handle("race-c"));
        StringBuilder content = new StringBuilder();
        for (String h : handles) {
            content.append(h).append(":password of ").append(h).append('\n');
        }
        Path file = write(content.toString());
        int starts = 2; // each replica has its own pool; this one has 2 JDBC connections
        CyclicBarrier together = new CyclicBarrier(starts);
        ExecutorService pool = Executors.newFixedThreadPool(starts);
        try {
            List<Callable<BootstrapUsers.Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                calls.add(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return bootstrap.apply(file);
                });
            }
            List<String> created = new ArrayList<>();
            for (Future<BootstrapUsers.Outcome> f : pool.invokeAll(calls)) {
                BootstrapUsers.Outcome outcome = f.get(); // throws if any start failed
                created.addAll(outcome.created());
                Set<String> seen = new HashSet<>(outcome.created());
                seen.addAll(outcome.present());
                assertEquals(new HashSet<>(handles), seen, "every start accounts for every user");
            }
            assertEquals(handles.size(), created.size(), "each user created by exactly one start: " + created);
            assertEquals(new HashSet<>(handles), new HashSet<>(created));
        } finally {
            pool.shutdownNow();
        }
        for (String h : handles) {
            assertEquals(List.of(List.of("1")), Db.rows("SELECT count(*) FROM users WHERE handle = ?", h));
            assertEquals(Status.Code.OK, signIn(h, "password of " + h));
        }
    }
}
