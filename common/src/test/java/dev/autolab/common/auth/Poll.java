package dev.autolab.common.auth;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for something another thread does (a gRPC message arriving), up to a deadline; never for time itself. */
final class Poll {
    private Poll() {}

    static void until(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within " + deadline.toMillis() + " ms: " + what);
            }
            LockSupport.parkNanos(1_000_000); // a polling interval, not a wait for time to pass
        }
    }
}
