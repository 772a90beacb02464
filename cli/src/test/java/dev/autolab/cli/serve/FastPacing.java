package dev.autolab.cli.serve;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Pacing for tests: a heartbeat falls due after 10 ms instead of its interval, and a backoff is
 * recorded, not waited out.
 */
final class FastPacing implements Pacing {
    final List<Duration> backoffs = new CopyOnWriteArrayList<>();
    /** Every wait for the stream's next event, as asked for (the time left until a heartbeat is due). */
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public <T> T next(BlockingQueue<T> events, Duration timeout) throws InterruptedException {
        waits.add(timeout);
        return events.poll(Math.min(Math.max(0, timeout.toMillis()), 10), TimeUnit.MILLISECONDS);
    }

    @Override
    public <T> T backoff(BlockingQueue<T> events, Duration delay) {
        backoffs.add(delay);
        return events.poll();
    }
}
