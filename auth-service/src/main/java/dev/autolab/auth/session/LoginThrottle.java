package dev.autolab.auth.session;

import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.auth.limit.AddressKey;
import dev.autolab.auth.limit.AttemptLimiter;
import dev.autolab.auth.limit.AttemptLimiter.Counter;
import dev.autolab.auth.limit.Limit;
import io.smallrye.mutiny.Uni;

/**
 * Slows down password guessing across every replica: each sign-in reserves an attempt per
 * (handle, address), per handle and per address before the password is checked. A success forgets
 * the handle's failures and gives the address its attempt back, so one noisy handle behind a shared
 * address (a NAT, a university) locks out nobody else.
 */
@Singleton
public class LoginThrottle {
    private final AttemptLimiter limiter;
    private final Limit perHandleAndAddress;
    private final Limit perHandle;
    private final Limit perAddress;

    @Inject
    public LoginThrottle(AttemptLimiter limiter, AuthConfig config) {
        AuthConfig.Throttle t = config.throttle();
        this.limiter = limiter;
        this.perHandleAndAddress = new Limit(
                "signin-ha", t.freeFailuresPerHandleAndAddress(), t.firstDelay(), t.maxDelay(), t.forgetAfter());
        this.perHandle =
                new Limit("signin-h", t.freeFailuresPerHandle(), t.firstDelay(), t.maxDelay(), t.forgetAfter());
        this.perAddress =
                new Limit("signin-a", t.freeFailuresPerAddress(), t.firstDelay(), t.maxDelay(), t.forgetAfter());
    }

    /** The counters one sign-in attempt is made against. */
    public record Attempt(Counter handleAndAddress, Counter handle, Counter address) {}

    public Attempt attempt(String handle, String address) {
        String who = handle.toLowerCase(Locale.ROOT);
        String from = AddressKey.of(address);
        return new Attempt(
                new Counter(perHandleAndAddress, from + "/" + who),
                new Counter(perHandle, who),
                new Counter(perAddress, from));
    }

    /** Reserves the attempt, or fails with RESOURCE_EXHAUSTED saying how long to wait. */
    public Uni<Void> reserve(Attempt attempt) {
        return limiter.reserve(
                "failed sign-ins", List.of(attempt.handleAndAddress(), attempt.handle(), attempt.address()));
    }

    /** The password was right: the handle's failures are forgotten, the address gets its attempt back. */
    public Uni<Void> succeeded(Attempt attempt) {
        return limiter.forget(attempt.handleAndAddress())
                .chain(() -> limiter.forget(attempt.handle()))
                .chain(() -> limiter.refund(attempt.address()));
    }

    /** The attempt was never checked (the hashing gate was full): give every counter its attempt back. */
    public Uni<Void> unused(Attempt attempt) {
        return limiter.refund(attempt.handleAndAddress())
                .chain(() -> limiter.refund(attempt.handle()))
                .chain(() -> limiter.refund(attempt.address()));
    }
}
