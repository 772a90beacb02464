package dev.autolab.nodes.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for something another thread does (a network event), never for time to pass. */
public final class Poll {
    private Poll() {}

    public static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + limit.toMillis() + " ms");
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // polling interval
        }
    }
}
