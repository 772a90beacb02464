package dev.autolab.auth.session;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.common.concurrent.BlockingWork;
import dev.autolab.common.error.Errors;
import io.smallrye.mutiny.Uni;

/**
 * Bounds the password hashing in flight. Argon2 costs tens of milliseconds and 19 MiB each; a queue
 * in front of it would turn a burst into minutes of latency and heap for everyone, so the one over
 * the bound is refused at once and told to retry.
 */
@Singleton
public class HashingGate {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int bound;
    private final BlockingWork blocking;

    @Inject
    public HashingGate(AuthConfig config, BlockingWork blocking) {
        this.bound = config.throttle().maxConcurrentHashes();
        this.blocking = blocking;
    }

    /** Runs {@code hashing} on a worker thread, or fails with RESOURCE_EXHAUSTED when the gate is full. */
    public <T> Uni<T> run(Supplier<T> hashing) {
        return Uni.createFrom().deferred(() -> {
            if (!tryEnter()) {
                return Uni.createFrom()
                        .failure(Errors.resourceExhausted(
                                "auth-service is busy checking passwords; try again in a moment"));
            }
            return blocking.run(hashing).onTermination().invoke(inFlight::decrementAndGet);
        });
    }

    boolean tryEnter() {
        if (inFlight.incrementAndGet() > bound) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    int inFlight() {
        return inFlight.get();
    }
}
