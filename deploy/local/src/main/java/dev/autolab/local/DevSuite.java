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
import java.util.concurrent.CopyOnWriteArrayList;
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
    /** A started service process, with the environment it was started with (to start it again). */
    public record Service(String name, Process process, int port, Path log, Map<String, String> env) {}

    /**
     * node-registry settings a developer (or the scale benchmark) may set in the launcher's own
     * environment; they are passed on to node-registry as they are.
     */
    static final List<String> NODES_TUNABLES = List.of(
            "AUTOLAB_NODES_HEARTBEAT_INTERVAL",
            "AUTOLAB_NODES_LEASE",
            "AUTOLAB_NODES_OFFLINE_GRACE",
            "AUTOLAB_NODES_MAX_PER_PROJECT");

    /** keys-service's platform key settings, passed on from the launcher's environment when set. */
    static final List<String> PLATFORM_KEY = List.of(
            "AUTOLAB_PLATFORM_PROVIDER", "AUTOLAB_PLATFORM_MODEL", "AUTOLAB_PLATFORM_KEY", "AUTOLAB_PLATFORM_KEY_FILE");

    /**
     * The JVM options of every service process: the container flags of {@code deploy/jvm-options.md}
     * (measured with {@code bench/startup.sh}), so the local suite starts and rests as a pod does. The serial
     * collector (one GC thread, no G1 remembered sets) suits heaps this small; the heap starts at 32 MB and
     * grows as needed; 512 KB thread stacks are plenty for reactive code. See {@link #jvmOptions(Path, String)}
     * for the heap ceiling and the class-data archive.
     */
    public static final List<String> JVM_OPTIONS =
            List.of("-XX:+UseSerialGC", "-Xms32m", "-Xss512k", "-XX:ReservedCodeCacheSize=64m");

    /**
     * The heap ceiling per service: auth-service hashes up to 8 passwords at once with Argon2id (19 MiB
     * each, on the heap), the others hold at most ~80 MB of live data with 10,000 node streams.
     */
    static String maxHeap(String service) {
        return service.equals("auth-service") ? "-Xmx256m" : "-Xmx192m";
    }

    /**
     * The whole command line's JVM part for {@code service} built under {@code root}: {@link #JVM_OPTIONS},
     * its heap ceiling, and Quarkus' AppCDS archive when the build made one (each service's
     * {@code application.properties} sets {@code quarkus.package.jar.appcds.enabled}). The archive records the class path as
     * {@code quarkus-run.jar}, so services run from their {@code quarkus-app} folder; {@code -Xshare:auto}
     * makes a stale or foreign archive (another JDK build) a no-op instead of an error.
     */
    public static List<String> jvmOptions(Path root, String service) {
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.add(maxHeap(service));
        if (Files.exists(appDirectory(root, service).resolve("app-cds.jsa"))) {
            options.add("-XX:SharedArchiveFile=app-cds.jsa");
            options.add("-Xshare:auto");
        }
        return options;
    }

    /** Where a service's packaged application is: the folder a service process runs in. */
    public static Path appDirectory(Path root, String service) {
        return root.resolve(service).resolve("target/quarkus-app");
    }

    /** Where every service and the database listen: never a shared machine's other interfaces. */
    public static final String LOOPBACK = "127.0.0.1";

    private final LauncherLock lock;
    private final Watchdog watchdog;
    private volatile boolean closing;
    private LocalPostgres postgres;
    private final List<Service> services = new CopyOnWriteArrayList<>();
    private final int gatewayPort;
    private final Path root;

    private DevSuite(Path root, LauncherLock lock, Watchdog watchdog, int gatewayPort) {
        this.root = root;
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
        DevSuite suite = new DevSuite(root, lock, watchdog, gatewayPort);
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
            suite.launch("auth-service", authPort, auth, logs, progress);

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
            // The platform key every project starts on, when the launcher's environment names one
            // (without it, resolving a project on the platform key says none is configured).
            passOn(keys, PLATFORM_KEY);
            suite.launch("keys-service", keysPort, keys, logs, progress);

            // node-registry: after auth-service (it validates node credentials and watches revocations
            // there), before the gateway that routes autolab.nodes.* to it.
            int nodesPort = freePort();
            Map<String, String> nodes = new LinkedHashMap<>();
            nodes.put("AUTOLAB_NODES_PORT", String.valueOf(nodesPort));
            nodes.put("AUTOLAB_NODES_HOST", LOOPBACK);
            nodes.put("AUTOLAB_DB_USER", pg.user());
            nodes.put("AUTOLAB_DB_PASSWORD", pg.password());
            nodes.put("AUTOLAB_NODES_DB_JDBC_URL", pg.jdbcUrl("autolab_nodes"));
            nodes.put("AUTOLAB_NODES_DB_URL", pg.reactiveUrl("autolab_nodes"));
            nodes.put("AUTOLAB_AUTH_ADDRESS", LOOPBACK + ":" + authPort);
            passOn(nodes, NODES_TUNABLES);
            suite.launch("node-registry", nodesPort, nodes, logs, progress);

            Map<String, String> gateway = new LinkedHashMap<>();
            gateway.put("AUTOLAB_GATEWAY_PORT", String.valueOf(gatewayPort));
            gateway.put("AUTOLAB_GATEWAY_HOST", LOOPBACK);
            gateway.put("AUTOLAB_AUTH_ADDRESS", LOOPBACK + ":" + authPort);
            gateway.put("AUTOLAB_KEYS_ADDRESS", LOOPBACK + ":" + keysPort);
            // Its own address, as the OAuth issuer (RFC 8414 metadata) and the one browser origin it trusts.
            gateway.put("AUTOLAB_PUBLIC_URL", suite.gatewayUrl());
            gateway.put("AUTOLAB_NODES_ADDRESS", LOOPBACK + ":" + nodesPort);
            suite.launch("gateway", gatewayPort, gateway, logs, progress);

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

    private void launch(String name, int port, Map<String, String> env, Path logs, PrintStream progress)
            throws IOException {
        jarOf(root, name); // fails with the build command to run when the jar is missing
        Path log = logs.resolve(name + ".log");
        Process process = spawn(root, name, env, log);
        progress.println("starting " + name + " (log: " + log + ")");
        services.add(new Service(name, process, port, log, Map.copyOf(env)));
        watchdog.watchService(process);
        lock.record(name, process);
    }

    private static void passOn(Map<String, String> env, List<String> names) {
        for (String name : names) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                env.put(name, value);
            }
        }
    }

    private static Path jarOf(Path root, String name) {
        Path jar = root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw install -DskipTests");
        }
        return jar;
    }

    /** Starts {@code service}'s jar in its {@code quarkus-app} folder with {@link #jvmOptions}. */
    public static Process spawn(Path root, String service, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions(root, service));
        command.add("-jar");
        command.add("quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(appDirectory(root, service).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** The running service of that name. */
    public Service service(String name) {
        return services.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /**
     * Starts a service again on its port with its environment, once its process has ended (e.g. after
     * a test killed it), and waits until it is ready: what a supervisor restarting a crashed replica does.
     */
    public synchronized Service restart(String name) throws Exception {
        Service old = service(name);
        if (old.process().isAlive()) {
            throw new IllegalStateException(
                    name + " is still running (pid " + old.process().pid() + ")");
        }
        jarOf(root, name); // fails with the build command to run when the jar is missing
        Process process = spawn(root, name, old.env(), old.log());
        Service started = new Service(name, process, old.port(), old.log(), old.env());
        services.set(services.indexOf(old), started);
        watchdog.watchService(process);
        lock.record(name, process);
        awaitReady(started, Duration.ofSeconds(90));
        return started;
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

    /** The first service that has died, or null; null too once the suite is being stopped (they die on purpose). */
    public Service firstDead() {
        if (closing) {
            return null;
        }
        return services.stream().filter(s -> !s.process().isAlive()).findFirst().orElse(null);
    }

    @Override
    public void close() {
        // The launcher's loop asks firstDead() every second while the shutdown hook runs this.
        closing = true;
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
