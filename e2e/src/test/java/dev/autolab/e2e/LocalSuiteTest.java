package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.autolab.local.DevSuite;

/**
 * The local suite on a shared machine: nothing listens beyond loopback, and a launcher killed
 * with SIGKILL leaves nothing running, nor anything that stops the next start.
 */
class LocalSuiteTest {
    private static final Duration STOPPED_WITHIN = Duration.ofSeconds(60);

    @Test
    void everyServiceAndTheDatabaseListenOnLoopbackOnly() throws Exception {
        DevSuite suite = Suite.get();
        List<Integer> ports = new ArrayList<>(
                suite.services().stream().map(DevSuite.Service::port).toList());
        ports.add(suite.postgresPort());
        for (int port : ports) {
            List<String> addresses = Listening.addresses(port);
            assertFalse(addresses.isEmpty(), "something listens on " + port);
            assertTrue(
                    addresses.stream().allMatch(Listening::isLoopback),
                    "port " + port + " listens beyond loopback: " + addresses);
        }
    }

    /** {@code bin/autolab-dev} as the real process it is, on its own home and gateway port. */
    private static final class Launcher {
        final Process process;
        final CompletableFuture<String> rest;

        Launcher(Path home, int port) throws Exception {
            Path root = Suite.root();
            Path local = root.resolve("deploy/local/target");
            ProcessBuilder b = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-XX:+UseSerialGC",
                            "-Dautolab.root=" + root,
                            "-cp",
                            local.resolve("autolab-local.jar") + ":" + local.resolve("lib") + "/*",
                            "dev.autolab.local.AutolabDev")
                    .redirectErrorStream(true);
            b.environment().put("AUTOLAB_DEV_HOME", home.toString());
            b.environment().put("AUTOLAB_DEV_PORT", String.valueOf(port));
            process = b.start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("Autolab is running")) {
                    break;
                }
            }
            if (line == null) {
                throw new AssertionError("autolab-dev did not start:\n" + seen);
            }
            rest = CompletableFuture.supplyAsync(() -> drain(out));
        }

        /** The services it started (the watchdog is a child too; PostgreSQL is not: pg_ctl detaches it). */
        List<ProcessHandle> children() {
            return process.children().toList();
        }

        private static String drain(BufferedReader out) {
            StringBuilder all = new StringBuilder();
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    all.append(l).append('\n');
                }
            } catch (IOException ended) {
                // the launcher is gone
            }
            return all.toString();
        }

        /** Ctrl-C's path: SIGTERM runs the shutdown hook. */
        void stop() throws Exception {
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "autolab-dev stops on SIGTERM");
        }
    }

    private static ProcessHandle postmaster(Path home) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(home.resolve("postgres/data/postmaster.pid"))
                .get(0)
                .strip());
        return ProcessHandle.of(pid).orElseThrow();
    }

    private static long postmasters(Path home) {
        String data = home.resolve("postgres/data").toString();
        return ProcessHandle.allProcesses()
                .filter(p ->
                        p.info().arguments().map(a -> List.of(a).contains(data)).orElse(false))
                .count();
    }

    /** Polls (no fixed sleeps) until every process has exited, or the deadline passes. */
    private static void assertAllExit(List<ProcessHandle> processes, String what) throws Exception {
        long deadline = System.nanoTime() + STOPPED_WITHIN.toNanos();
        for (ProcessHandle p : processes) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(what + ": pid " + p.pid() + " "
                        + p.info().command().orElse("") + " still runs after " + STOPPED_WITHIN.toSeconds() + " s");
            }
        }
    }

    private static Path newHome() throws IOException {
        return Files.createTempDirectory(Suite.root().resolve("e2e/target"), "killed-");
    }

    @Test
    void aSigkilledLauncherTakesTheServicesAndPostgresWithIt() throws Exception {
        Path home = newHome();
        int port = DevSuite.freePort();
        Launcher first = new Launcher(home, port);
        List<ProcessHandle> started = new ArrayList<>(first.children());
        assertTrue(started.size() >= 3, "auth-service, gateway and the watchdog: " + started);
        started.add(postmaster(home));

        first.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertAllExit(started, "after SIGKILL of the launcher");

        Launcher second = new Launcher(home, port);
        ProcessHandle current = postmaster(home);
        try {
            assertEquals(1, postmasters(home), "exactly one PostgreSQL serves the home");
        } finally {
            second.stop();
        }
        assertAllExit(List.of(current), "after a clean stop");
        assertFalse(Files.exists(home.resolve("run/processes")), "a clean stop leaves nothing for the next start");
    }

    @Test
    void theNextStartStopsWhatALauncherKilledWithItsWatchdogLeftBehind() throws Exception {
        Path home = newHome();
        int port = DevSuite.freePort();
        Launcher first = new Launcher(home, port);
        List<ProcessHandle> services = new ArrayList<>();
        ProcessHandle watchdog = null;
        for (ProcessHandle child : first.children()) {
            if (child.info()
                    .arguments()
                    .map(a -> List.of(a).contains("dev.autolab.local.Watchdog"))
                    .orElse(false)) {
                watchdog = child;
            } else {
                services.add(child);
            }
        }
        assertTrue(watchdog != null && services.size() >= 2, first.children().toString());
        ProcessHandle oldPostmaster = postmaster(home);

        // As `kill -9` of the whole process group would: nothing of the first launcher can clean up.
        watchdog.destroyForcibly();
        first.process.destroyForcibly();
        assertAllExit(List.of(watchdog, first.process.toHandle()), "the killed launcher and watchdog");
        assertTrue(
                oldPostmaster.isAlive() && services.stream().allMatch(ProcessHandle::isAlive),
                "the orphans this test is about are still running");

        Launcher second = new Launcher(home, port); // the same gateway port the orphaned gateway held
        try {
            assertAllExit(services, "orphaned services, after the next start");
            assertFalse(oldPostmaster.isAlive(), "the orphaned PostgreSQL was stopped");
            assertEquals(1, postmasters(home), "exactly one PostgreSQL serves the home");
            Optional<ProcessHandle> current = Optional.of(postmaster(home));
            assertTrue(current.get().isAlive() && current.get().pid() != oldPostmaster.pid());
        } finally {
            second.stop();
        }
    }
}
