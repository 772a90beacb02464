package dev.autolab.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL server process found through its data folder's {@code postmaster.pid}. pg_ctl
 * starts PostgreSQL in a session of its own, so it outlives a launcher that dies without running
 * its shutdown hook; this is how the next launcher (or the {@link Watchdog}) finds it and stops it.
 */
final class Postmaster {
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private Postmaster() {}

    /** The live postmaster serving {@code data}, if any (a stale pid file, or a reused pid, gives none). */
    static Optional<ProcessHandle> running(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
    }

    /**
     * Stops the postmaster serving {@code data}, if one runs, with PostgreSQL's fast shutdown
     * (SIGINT: clients are disconnected, a checkpoint is written). A signal rather than
     * {@code pg_ctl stop}: pg_ctl refuses to run as root, and a signal needs no binaries.
     * Returns whether one was running.
     */
    static boolean stop(Path data) throws IOException, InterruptedException {
        Optional<ProcessHandle> running = running(data);
        if (running.isEmpty()) {
            return false;
        }
        ProcessHandle postmaster = running.get();
        fastShutdown(postmaster);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (postmaster.isAlive() && System.nanoTime() < deadline) {
            try {
                postmaster.onExit().get(1, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // poll again until the deadline
            }
        }
        if (postmaster.isAlive()) {
            throw new IOException("PostgreSQL (pid " + postmaster.pid() + ") serving " + data + " did not stop within "
                    + STOP_WAIT.toSeconds() + " s; stop it, then start again");
        }
        return true;
    }

    /** SIGINT through kill(1) (Java sends only TERM and KILL); SIGTERM (smart shutdown) when that fails. */
    private static void fastShutdown(ProcessHandle postmaster) throws IOException, InterruptedException {
        int exit;
        try {
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(postmaster.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            exit = kill.waitFor(10, TimeUnit.SECONDS) ? kill.exitValue() : -1;
        } catch (IOException noKill) {
            exit = -1;
        }
        if (exit != 0) {
            postmaster.destroy();
        }
    }
}
