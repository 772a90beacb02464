package dev.autolab.common.auth;

import java.time.Duration;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc.MutinyInternalAuthServiceStub;
import dev.autolab.proto.auth.v1.Revocations;
import io.smallrye.mutiny.Uni;

/**
 * How every service but auth-service authenticates its callers: auth-service's {@code ValidateToken}
 * ({@link RemoteTokenValidator}) behind a cache ({@link CachingTokenValidator}) that auth-service's
 * revocation stream ({@link RevocationWatcher}) keeps honest. A revoked credential is refused within
 * a second while the stream is live, and within the short TTL (+1 s) while it is not.
 *
 * <p>A service produces one as a bean and closes it at shutdown.
 */
public final class AuthServiceValidator implements TokenValidator, AutoCloseable {
    /** DESIGN §3: without the stream, a revoked token stops working everywhere within 5 s. */
    public static final Duration FALLBACK_TTL = Duration.ofSeconds(4);
    /** While the stream is live revocations arrive at once; the TTL only bounds stale non-revocation data. */
    public static final Duration LIVE_TTL = Duration.ofSeconds(60);

    private final CachingTokenValidator cache;
    private final RevocationWatcher watcher;

    /**
     * @param watcherName who watches, for auth-service's logs (e.g. {@code keys-service})
     * @param deadline the deadline of each ValidateToken call
     */
    public AuthServiceValidator(
            MutinyInternalAuthServiceStub authService, String watcherName, Duration deadline, long maxEntries) {
        this(authService, watcherName, deadline, FALLBACK_TTL, LIVE_TTL, maxEntries);
    }

    public AuthServiceValidator(
            MutinyInternalAuthServiceStub authService,
            String watcherName,
            Duration deadline,
            Duration fallbackTtl,
            Duration liveTtl,
            long maxEntries) {
        this(authService, watcherName, deadline, fallbackTtl, liveTtl, maxEntries, null);
    }

    /** @param onRevocations hears each pushed revocation (ids and reasons) after the cache forgot it; null for none */
    public AuthServiceValidator(
            MutinyInternalAuthServiceStub authService,
            String watcherName,
            Duration deadline,
            Duration fallbackTtl,
            Duration liveTtl,
            long maxEntries,
            Consumer<Revocations> onRevocations) {
        this.cache = new CachingTokenValidator(
                new RemoteTokenValidator(authService, deadline),
                fallbackTtl,
                liveTtl,
                maxEntries,
                Ticker.systemTicker());
        this.watcher = new RevocationWatcher(
                        authService, cache, watcherName, RevocationWatcher.Timing.DEFAULT, null, onRevocations)
                .start();
    }

    @Override
    public Uni<Principal> validate(String token) {
        return cache.validate(token);
    }

    @Override
    public Principal cachedOrNull(String token) {
        return cache.cachedOrNull(token);
    }

    /** Whether revocations are being pushed right now (for readiness checks and tests). */
    public boolean isRevocationStreamLive() {
        return watcher.isLive();
    }

    /**
     * How many times the revocation stream has become live: a change since an earlier look means
     * it was down in between (revocations may have been missed), however briefly.
     */
    public long revocationStreamTimesLive() {
        return watcher.timesLive();
    }

    @Override
    public void close() {
        watcher.close();
    }
}
