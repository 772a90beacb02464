package dev.autolab.auth.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.common.error.Errors;

/**
 * Slows down password guessing, per handle and per client address: after a few free failures,
 * each further try must wait, the wait doubling from one second up to a maximum. In memory, per
 * process: enough to make online guessing slow; a shared store can replace it when scaled out.
 */
@Singleton
public class LoginThrottle {
    private record Failures(int count, Instant last) {
    }

    private final Cache<String, Failures> failures = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(30))
            .maximumSize(200_000)
            .build();
    private final AuthConfig.Throttle config;
    private final Clock clock;

    @Inject
    public LoginThrottle(AuthConfig config, Clock clock) {
        this.config = config.throttle();
        this.clock = clock;
    }

    /** Refuses with RESOURCE_EXHAUSTED, saying how long to wait, when this try comes too soon. */
    public void check(String handle, String address) {
        Instant now = clock.instant();
        Duration wait = max(remaining("h:" + handle, config.freeFailuresPerHandle(), now),
                remaining("a:" + address, config.freeFailuresPerAddress(), now));
        if (!wait.isZero()) {
            throw Errors.resourceExhausted("too many failed sign-ins; try again in " + Math.max(1, wait.toSeconds())
                    + " s");
        }
    }

    public void failed(String handle, String address) {
        Instant now = clock.instant();
        failures.asMap().merge("h:" + handle, new Failures(1, now), (a, b) -> new Failures(a.count + 1, now));
        failures.asMap().merge("a:" + address, new Failures(1, now), (a, b) -> new Failures(a.count + 1, now));
    }

    public void succeeded(String handle) {
        failures.invalidate("h:" + handle);
    }

    private Duration remaining(String key, int free, Instant now) {
        Failures f = failures.getIfPresent(key);
        if (f == null || f.count < free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(f.count - free, 20);
        Duration delay = Duration.ofSeconds(1L << doublings);
        if (delay.compareTo(config.maxDelay()) > 0) {
            delay = config.maxDelay();
        }
        Duration left = Duration.between(now, f.last.plus(delay));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
