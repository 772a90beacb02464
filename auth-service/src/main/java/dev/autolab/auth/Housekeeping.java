package dev.autolab.auth;

import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.auth.device.DeviceFlowService;
import dev.autolab.auth.limit.AttemptLimiter;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;

/**
 * Deletes rows nobody needs any more (expired sign-in requests, idle attempt counters) on a timer,
 * so that no request pays for a sweep. Each replica sweeps; the deletes are idempotent.
 */
@Singleton
public class Housekeeping {
    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final Duration EVERY = Duration.ofMinutes(10);

    @Inject
    Vertx vertx;

    @Inject
    DeviceFlowService devices;

    @Inject
    AttemptLimiter limiter;

    @Inject
    AuthConfig config;

    void start(@Observes StartupEvent started) {
        vertx.setPeriodic(EVERY.toMillis(), id -> sweep());
    }

    void sweep() {
        devices.sweepExpired()
                .chain(() -> limiter.sweep(
                        config.throttle().forgetAfter().plus(config.throttle().maxDelay())))
                .subscribe()
                .with(
                        ignored -> {},
                        failure -> LOG.warnf(
                                "housekeeping skipped a round: %s",
                                failure.getClass().getSimpleName()));
    }
}
