package dev.autolab.auth.limit;

import java.time.Duration;

/**
 * One kind of limited attempt: the first {@code freeAttempts} within {@code forgetAfter} of each
 * other cost nothing; from then on each attempt must wait, the wait doubling from {@code firstDelay}
 * up to {@code maxDelay}. A counter untouched for {@code forgetAfter} starts over.
 */
public record Limit(String name, int freeAttempts, Duration firstDelay, Duration maxDelay, Duration forgetAfter) {
    public Limit {
        if (freeAttempts < 1) {
            throw new IllegalArgumentException(name + ": at least one free attempt");
        }
        if (firstDelay.compareTo(maxDelay) > 0) {
            firstDelay = maxDelay;
        }
    }

    /** The wait an attempt imposes on the next one, given how many this one makes. */
    Duration delayAfter(int attempts) {
        if (attempts < freeAttempts) {
            return Duration.ZERO;
        }
        Duration delay = firstDelay.multipliedBy(1L << Math.min(attempts - freeAttempts, 20));
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
