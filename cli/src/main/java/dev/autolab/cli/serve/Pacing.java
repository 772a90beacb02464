package dev.autolab.cli.serve;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * How {@code serve} waits: for the next event of its stream (a heartbeat is due when none came in
 * time), or out a backoff before reconnecting. Tests hand in one that does not wait for real time.
 */
public interface Pacing {
    /** The next event, or null when {@code timeout} passed without one. */
    <T> T next(BlockingQueue<T> events, Duration timeout) throws InterruptedException;

    /** Waits out a backoff; returns early with an event (only a request to stop arrives meanwhile). */
    default <T> T backoff(BlockingQueue<T> events, Duration delay) throws InterruptedException {
        return next(events, delay);
    }

    static Pacing real() {
        return new Pacing() {
            @Override
            public <T> T next(BlockingQueue<T> events, Duration timeout) throws InterruptedException {
                return events.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            }
        };
    }
}
