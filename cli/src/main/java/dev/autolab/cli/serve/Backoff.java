package dev.autolab.cli.serve;

import java.time.Duration;
import java.util.Random;

/**
 * Reconnect delays: doubling from 1 s to 30 s, each drawn between half and all of its ceiling so
 * that nodes cut off together (a control-plane restart) do not all come back in the same second.
 */
final class Backoff {
    static final Duration MIN = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);

    private final Random random;

    Backoff(Random random) {
        this.random = random;
    }

    /** The delay before reconnect attempt {@code failures} (0 for the first after a good connection). */
    Duration delay(int failures) {
        long ceiling = MIN.toMillis() << Math.min(failures, 10);
        ceiling = Math.min(ceiling, MAX.toMillis());
        long drawn = ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0));
        return Duration.ofMillis(Math.max(MIN.toMillis(), Math.min(MAX.toMillis(), drawn)));
    }
}
