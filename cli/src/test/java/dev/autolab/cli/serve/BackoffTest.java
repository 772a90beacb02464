package dev.autolab.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromOneSecondToThirtyWithJitter() {
        Backoff backoff = new Backoff(new Random(1));
        assertEquals(Duration.ofSeconds(1), backoff.delay(0));
        for (int failures = 1; failures < 40; failures++) {
            long ceiling = Math.min(30_000, 1000L << Math.min(failures, 10));
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                long ms = backoff.delay(failures).toMillis();
                assertTrue(ms >= Math.max(1000, ceiling / 2) && ms <= ceiling, failures + ": " + ms);
                seen.add(ms);
            }
            assertTrue(seen.size() > 10, "jittered, not fixed: " + seen);
        }
    }
}
