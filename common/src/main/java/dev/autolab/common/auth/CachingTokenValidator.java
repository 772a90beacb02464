package dev.autolab.common.auth;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.smallrye.mutiny.Uni;

/**
 * Remembers successful validations for a short time, so that a hot token costs a hash lookup.
 *
 * <p>The time to live bounds how long a revoked token keeps working (DESIGN: within 5 s everywhere).
 * Failures are never cached: a refused token is asked about again, and nothing is logged for it.
 */
public final class CachingTokenValidator implements TokenValidator {
    private final TokenValidator upstream;
    private final Cache<String, Principal> cache;

    public CachingTokenValidator(TokenValidator upstream, Duration ttl, long maxEntries) {
        this.upstream = upstream;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                .build();
    }

    @Override
    public Uni<Principal> validate(String token) {
        Principal cached = cache.getIfPresent(token);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return upstream.validate(token).invoke(principal -> cache.put(token, principal));
    }

    @Override
    public Principal cachedOrNull(String token) {
        return cache.getIfPresent(token);
    }

    /** Forgets every cached principal of a token id (revocation knows ids, not values). */
    public void invalidateTokenId(String tokenId) {
        cache.asMap().values().removeIf(p -> p.tokenId().equals(tokenId));
    }
}
