package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.autolab.local.DevSuite;
import dev.autolab.local.LocalPostgres;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * A second auth-service process on the suite's database, started from the same jar: what a
 * deployment with two replicas looks like to PostgreSQL. Close it to stop it.
 */
final class AuthReplica implements AutoCloseable {
    private final Process process;
    private final ManagedChannel channel;

    private AuthReplica(Process process, int port) {
        this.process = process;
        this.channel = ManagedChannelBuilder.forAddress(DevSuite.LOOPBACK, port)
                .usePlaintext()
                .build();
    }

    /** The suite's own auth-service, as a channel. */
    static ManagedChannel primary(DevSuite suite) {
        int port = suite.services().stream()
                .filter(s -> s.name().equals("auth-service"))
                .findFirst()
                .orElseThrow()
                .port();
        return ManagedChannelBuilder.forAddress(DevSuite.LOOPBACK, port)
                .usePlaintext()
                .build();
    }

    static AuthReplica start(DevSuite suite, String name) throws Exception {
        int port = DevSuite.freePort();
        Path log = Files.createTempFile(Suite.root().resolve("e2e/target"), "auth-service-" + name + "-", ".log");
        LocalPostgres pg = suite.postgres();
        Map<String, String> env = new HashMap<>();
        env.put("AUTOLAB_AUTH_PORT", String.valueOf(port));
        env.put("AUTOLAB_AUTH_HOST", DevSuite.LOOPBACK);
        env.put("AUTOLAB_DB_USER", pg.user());
        env.put("AUTOLAB_DB_PASSWORD", pg.password());
        env.put("AUTOLAB_AUTH_DB_JDBC_URL", pg.jdbcUrl("autolab_auth"));
        env.put("AUTOLAB_AUTH_DB_URL", pg.reactiveUrl("autolab_auth"));
        env.put("AUTOLAB_SIGNUP_OPEN", "true");
        // The suite's JVM options and working folder (DevSuite.spawn), as every replica runs.
        Process process = DevSuite.spawn(Suite.root(), "auth-service", env, log);
        awaitReady(process, port, log);
        return new AuthReplica(process, port);
    }

    ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static void awaitReady(Process process, int port, Path log) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(
                        URI.create("http://" + DevSuite.LOOPBACK + ":" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the second auth-service exited: " + Files.readString(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // polling interval
        }
        process.destroyForcibly();
        fail("the second auth-service was not ready within 120 s; see " + log);
    }
}
