package dev.autolab.common.auth;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.smallrye.mutiny.Uni;

/**
 * Remembers successful validations for a short time, so that a hot token costs a hash lookup.
 *
 * <p>The time to live bounds how long a revoked token keeps working (DESIGN: within 5 s everywhere).
 * Concurrent misses for one token share a single upstream call. Failures are not cached.
 */
public final class CachingTokenValidator implements TokenValidator {
    private final TokenValidator upstream;
    private final AsyncCache<String, Principal> cache;

    public CachingTokenValidator(TokenValidator upstream, Duration ttl, long maxEntries) {
        this.upstream = upstream;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                .buildAsync();
    }

    @Override
    public Uni<Principal> validate(String token) {
        CompletableFuture<Principal> future = cache.get(token,
                (key, executor) -> upstream.validate(key).subscribeAsCompletionStage());
        return Uni.createFrom().completionStage(future);
    }

    @Override
    public Principal cachedOrNull(String token) {
        CompletableFuture<Principal> future = cache.getIfPresent(token);
        if (future == null || !future.isDone() || future.isCompletedExceptionally()) {
            return null;
        }
        return future.getNow(null);
    }

    /** Forgets one token at once (used where revocation happens in the same process). */
    public void invalidate(String token) {
        cache.synchronous().invalidate(token);
    }

    /** Forgets every cached principal matching a token id (revocation knows ids, not values). */
    public void invalidateTokenId(String tokenId) {
        cache.synchronous().asMap().values().removeIf(p -> p.tokenId().equals(tokenId));
    }
}
