package dev.autolab.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole suite on one machine: an embedded PostgreSQL (data kept under the home folder), then
 * each service as its own process with its log in {@code logs/<service>.log}, each on a free port,
 * and the gateway on the port asked for. Everything listens on 127.0.0.1 only, and the database
 * needs its password (see {@link LocalPostgres}). {@link #close()} stops everything it started; a
 * {@link Watchdog} does the same should this process die without running {@code close()}, and the
 * next start on the same home stops whatever both left behind ({@link LauncherLock}).
 */
public final class DevSuite implements AutoCloseable {
    /** A started service process. */
    public record Service(String name, Process process, int port, Path log) {}

    /** Where every service and the database listen: never a shared machine's other interfaces. */
    public static final String LOOPBACK = "127.0.0.1";

    private final LauncherLock lock;
    private final Watchdog watchdog;
    private LocalPostgres postgres;
    private final List<Service> services = new ArrayList<>();
    private final int gatewayPort;

    private DevSuite(LauncherLock lock, Watchdog watchdog, int gatewayPort) {
        this.lock = lock;
        this.watchdog = watchdog;
        this.gatewayPort = gatewayPort;
    }

    public String gatewayUrl() {
        return "http://localhost:" + gatewayPort;
    }

    public List<Service> services() {
        return List.copyOf(services);
    }

    public int postgresPort() {
        return postgres.port();
    }

    /** The database, e.g. to stop it and start it again in an outage test. */
    public LocalPostgres postgres() {
        return postgres;
    }

    /** Starts the suite from the built jars under {@code root}; throws with the failing log's tail. */
    public static DevSuite start(Path root, Path home, int gatewayPort, PrintStream progress) throws Exception {
        Secrets.privateDirectory(home);
        Path logs = home.resolve("logs");
        Files.createDirectories(logs);
        LauncherLock lock = LauncherLock.acquire(home);
        Watchdog watchdog;
        try {
            lock.stopLeftovers();
            watchdog = Watchdog.start(logs.resolve("watchdog.log"));
        } catch (Exception | Error e) {
            lock.close();
            throw e;
        }
        DevSuite suite = new DevSuite(lock, watchdog, gatewayPort);
        try {
            progress.println("starting PostgreSQL (data in " + home.resolve("postgres/data") + ")");
            watchdog.watchPostgres(home.resolve("postgres/data"));
            suite.postgres =
                    LocalPostgres.start(home, freePort(), List.of("autolab_auth", "autolab_keys", "autolab_nodes"));
            LocalPostgres pg = suite.postgres;
            int authPort = freePort();
            Map<String, String> auth = new LinkedHashMap<>();
            auth.put("AUTOLAB_AUTH_PORT", String.valueOf(authPort));
            auth.put("AUTOLAB_AUTH_HOST", LOOPBACK);
            auth.put("AUTOLAB_DB_USER", pg.user());
            auth.put("AUTOLAB_DB_PASSWORD", pg.password());
            auth.put("AUTOLAB_AUTH_DB_JDBC_URL", pg.jdbcUrl("autolab_auth"));
            auth.put("AUTOLAB_AUTH_DB_URL", pg.reactiveUrl("autolab_auth"));
            auth.put("AUTOLAB_SIGNUP_OPEN", "true");
            auth.put("AUTOLAB_PUBLIC_URL", suite.gatewayUrl());
            suite.launch(root, "auth-service", authPort, auth, logs, progress);

            // keys-service: the built-in encrypted store (master key in the home folder, 0600) unless
            // VAULT_ADDR is set, then Vault with token auth (VAULT_TOKEN).
            int keysPort = freePort();
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("AUTOLAB_KEYS_PORT", String.valueOf(keysPort));
            keys.put("AUTOLAB_KEYS_HOST", LOOPBACK);
            keys.put("AUTOLAB_DB_USER", pg.user());
            keys.put("AUTOLAB_DB_PASSWORD", pg.password());
            keys.put("AUTOLAB_KEYS_DB_JDBC_URL", pg.jdbcUrl("autolab_keys"));
            keys.put("AUTOLAB_KEYS_DB_URL", pg.reactiveUrl("autolab_keys"));
            keys.put("AUTOLAB_AUTH_ADDRESS", LOOPBACK + ":" + authPort);
            keys.put("AUTOLAB_KEYS_MASTER_KEY_FILE", home.resolve("master.key").toString());
            String vault = System.getenv("VAULT_ADDR");
            keys.put("AUTOLAB_KEYS_SECRET_STORE", vault == null || vault.isBlank() ? "local" : "vault");
            suite.launch(root, "keys-service", keysPort, keys, logs, progress);

            Map<String, String> gateway = new LinkedHashMap<>();
            gateway.put("AUTOLAB_GATEWAY_PORT", String.valueOf(gatewayPort));
            gateway.put("AUTOLAB_GATEWAY_HOST", LOOPBACK);
            gateway.put("AUTOLAB_AUTH_ADDRESS", LOOPBACK + ":" + authPort);
            gateway.put("AUTOLAB_KEYS_ADDRESS", LOOPBACK + ":" + keysPort);
            // Its own address, as the OAuth issuer (RFC 8414 metadata) and the one browser origin it trusts.
            gateway.put("AUTOLAB_PUBLIC_URL", suite.gatewayUrl());
            // node-registry is not built yet: its port stays closed, and the gateway answers its
            // routes with 503 naming the service.
            gateway.put("AUTOLAB_NODES_ADDRESS", LOOPBACK + ":" + freePort());
            suite.launch(root, "gateway", gatewayPort, gateway, logs, progress);

            for (Service service : suite.services) {
                suite.awaitReady(service, Duration.ofSeconds(90));
                progress.println("  " + service.name() + " ready on port " + service.port());
            }
            return suite;
        } catch (Exception | Error e) {
            suite.close();
            throw e;
        }
    }

    private void launch(Path root, String name, int port, Map<String, String> env, Path logs, PrintStream progress)
            throws IOException {
        Path jar = root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw install -DskipTests");
        }
        Path log = logs.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx512m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        progress.println("starting " + name + " (log: " + log + ")");
        Process process = builder.start();
        services.add(new Service(name, process, port, log));
        watchdog.watchService(process);
        lock.record(name, process);
    }

    private void awaitReady(Service service, Duration timeout) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(
                        URI.create("http://" + LOOPBACK + ":" + service.port() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.process().isAlive()) {
                throw new IllegalStateException(service.name() + " exited with code "
                        + service.process().exitValue() + "; last lines of " + service.log() + ":\n"
                        + tail(service.log(), 20));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                service.name() + " was not ready within " + timeout.toSeconds() + " s; see " + service.log());
    }

    /** The first service that has died, or null. */
    public Service firstDead() {
        return services.stream().filter(s -> !s.process().isAlive()).findFirst().orElse(null);
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).process().destroy();
        }
        for (Service service : services) {
            try {
                if (!service.process().waitFor(15, TimeUnit.SECONDS)) {
                    service.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                service.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            System.err.println("stopping PostgreSQL: " + e.getMessage());
        }
        watchdog.close();
        lock.close();
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
