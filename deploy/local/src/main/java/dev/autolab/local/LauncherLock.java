package dev.autolab.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One launcher per home. The lock is held by the launcher's JVM and released by the kernel however
 * it ends, so holding it proves that whatever an earlier launcher left behind (services listed in
 * {@code run/processes}, a PostgreSQL in {@code postgres/data}) has no owner and may be stopped.
 */
final class LauncherLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final Path processes;

    private LauncherLock(FileChannel channel, FileLock lock, Path processes) {
        this.channel = channel;
        this.lock = lock;
        this.processes = processes;
    }

    static LauncherLock acquire(Path home) throws IOException {
        Path run = Secrets.privateDirectory(home.resolve("run"));
        FileChannel channel =
                FileChannel.open(run.resolve("launcher.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another autolab-dev is already running with " + home
                    + "; stop it first, or set AUTOLAB_DEV_HOME to another folder");
        }
        return new LauncherLock(channel, lock, run.resolve("processes"));
    }

    /** Stops the services an earlier launcher recorded and did not stop (it was killed along with its watchdog). */
    void stopLeftovers() throws IOException, InterruptedException {
        if (!Files.exists(processes)) {
            return;
        }
        List<ProcessHandle> left = new ArrayList<>();
        for (String line : Files.readAllLines(processes)) {
            String[] f = line.split(" ");
            if (f.length != 3) {
                continue;
            }
            long started = Long.parseLong(f[2]);
            ProcessHandle.of(Long.parseLong(f[1]))
                    .filter(ProcessHandle::isAlive)
                    .filter(p ->
                            p.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == started)
                    .ifPresent(p -> {
                        System.err.println(
                                "stopping " + f[0] + " (pid " + p.pid() + ") left running by an earlier autolab-dev");
                        left.add(p);
                    });
        }
        Watchdog.stopAll(left);
        Files.delete(processes);
    }

    /** Notes a started service so that a later launcher can stop it should this one be killed. */
    void record(String name, Process process) throws IOException {
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        Files.writeString(
                processes,
                name + " " + process.pid() + " " + started + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(processes);
            lock.release();
            channel.close();
        } catch (IOException e) {
            System.err.println("releasing " + processes.resolveSibling("launcher.lock") + ": " + e.getMessage());
        }
    }
}
