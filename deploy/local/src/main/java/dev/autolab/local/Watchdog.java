package dev.autolab.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops the suite when its launcher dies without its shutdown hook (SIGKILL, a crash, the OOM killer).
 *
 * <p>Why a separate process reading a pipe: nothing in a JVM runs after SIGKILL, the services are
 * ordinary child processes that Linux does not kill with their parent, and pg_ctl starts
 * PostgreSQL in a session of its own. The launcher starts this small process with its stdin a
 * pipe and tells it, one line each, what it started. The kernel closes the launcher's end of the
 * pipe however the launcher ends, so end-of-input here means "the launcher is gone": no polling,
 * no pid files to trust. It then stops the services (SIGTERM, SIGKILL after a grace period) and
 * PostgreSQL (fast shutdown). After a clean stop there is nothing left for it to do.
 * If this process is killed as well (e.g. {@code kill -9} of the whole process group), the next
 * launcher on the same home stops what was left (see {@link DevSuite} and {@link Postmaster}).
 *
 * <p>Lines: {@code service <pid> <start-epoch-millis>} and {@code postgres <data-dir>}.
 */
public final class Watchdog implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final PrintStream pipe;

    private Watchdog(Process process) {
        this.process = process;
        this.pipe = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts the watchdog process for a launcher (this JVM); its output goes to {@code log}. */
    static Watchdog start(Path log) throws IOException {
        Path classes;
        try {
            classes = Path.of(Watchdog.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the autolab-local classes", e);
        }
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx16m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classes.toString(),
                        Watchdog.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new Watchdog(p);
    }

    void watchService(Process service) {
        long started = service.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        pipe.println("service " + service.pid() + " " + started);
    }

    void watchPostgres(Path data) {
        pipe.println("postgres " + data);
    }

    /** After a clean stop: closing the pipe lets the watchdog find nothing running and exit. */
    @Override
    public void close() {
        pipe.close();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        List<ProcessHandle> services = new ArrayList<>();
        Path data = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("postgres ")) {
                data = Path.of(line.substring("postgres ".length()));
                continue;
            }
            String[] f = line.split(" ");
            if (f[0].equals("service") && f.length == 3) {
                long started = Long.parseLong(f[2]);
                // The start time guards against a pid the system has since given to another process.
                ProcessHandle.of(Long.parseLong(f[1]))
                        .filter(p -> started == 0
                                || p.info()
                                                .startInstant()
                                                .map(Instant::toEpochMilli)
                                                .orElse(started)
                                        == started)
                        .ifPresent(services::add);
            }
        }
        List<ProcessHandle> alive =
                services.stream().filter(ProcessHandle::isAlive).toList();
        if (alive.isEmpty() && (data == null || Postmaster.running(data).isEmpty())) {
            return;
        }
        System.out.println(Instant.now() + " watchdog: the launcher is gone; stopping what it started");
        stopAll(alive);
        if (data != null && Postmaster.stop(data)) {
            System.out.println(Instant.now() + " watchdog: stopped PostgreSQL in " + data);
        }
    }

    /** SIGTERM to each, then SIGKILL to those still running after the grace period. */
    static void stopAll(List<ProcessHandle> processes) throws InterruptedException {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle p : processes) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                p.destroyForcibly();
                System.out.println(Instant.now() + " watchdog: killed pid " + p.pid() + " (it ignored SIGTERM)");
            }
        }
    }
}
