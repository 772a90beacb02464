package dev.autolab.common.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A scheduler the test drives: nothing runs until {@link #runDue()}, so no test waits for time to pass. */
final class ManualScheduler implements RevocationWatcher.Scheduler {
    private final List<Runnable> pending = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        pending.add(task);
        delays.add(delay);
    }

    /** Runs what was scheduled so far (as if its delay had passed); what that schedules waits for the next call. */
    void runDue() {
        List<Runnable> due;
        synchronized (this) {
            due = new ArrayList<>(pending);
            pending.clear();
        }
        due.forEach(Runnable::run);
    }

    synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }
}
