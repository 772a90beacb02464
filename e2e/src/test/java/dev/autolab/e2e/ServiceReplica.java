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
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * Another replica of one of the suite's services: the same jar and JVM options, the environment the
 * suite started that service with (so the same database), on a port of its own, with {@code overrides}
 * on top (e.g. which auth-service it talks to). Close it to stop it.
 */
final class ServiceReplica implements AutoCloseable {
    /** Each service's port variable, the one setting two replicas on one machine cannot share. */
    private static final Map<String, String> PORT_VARIABLE = Map.of(
            "auth-service", "AUTOLAB_AUTH_PORT",
            "keys-service", "AUTOLAB_KEYS_PORT",
            "node-registry", "AUTOLAB_NODES_PORT");

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final ManagedChannel channel;

    private ServiceReplica(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.channel = channel(port);
    }

    /** A plaintext channel to a service on this machine. */
    static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress(DevSuite.LOOPBACK, port)
                .usePlaintext()
                .build();
    }

    /** Starts the process; {@link #awaitReady()} waits for it (several may start at once). */
    static ServiceReplica launch(DevSuite suite, String service, Map<String, String> overrides) throws IOException {
        String portVariable = PORT_VARIABLE.get(service);
        if (portVariable == null) {
            throw new IllegalArgumentException("no replica of " + service);
        }
        int port = DevSuite.freePort();
        Map<String, String> env = new HashMap<>(suite.service(service).env());
        env.put(portVariable, String.valueOf(port));
        env.putAll(overrides);
        Path log = Files.createTempFile(Suite.root().resolve("e2e/target"), service + "-replica-", ".log");
        return new ServiceReplica(service, DevSuite.spawn(Suite.root(), service, env, log), port, log);
    }

    ServiceReplica awaitReady() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(
                        URI.create("http://" + DevSuite.LOOPBACK + ":" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the " + name + " replica exited: " + Files.readString(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // starting
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // polling interval
        }
        process.destroyForcibly();
        fail("the " + name + " replica was not ready within 120 s; see " + log);
        return this;
    }

    int port() {
        return port;
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
}
