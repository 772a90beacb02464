package dev.autolab.common.auth;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.mutiny.Uni;

/**
 * Remembers successful validations for a short time, so that a hot token costs a hash lookup.
 *
 * <p>The time to live bounds how long a revoked token keeps working when nothing tells this cache
 * about the revocation (DESIGN: within 5 s everywhere). While a revocation stream is connected
 * ({@link #revocationStreamLive()}), revocations arrive as {@link #invalidateTokenIds} and entries
 * may live for the longer {@code liveTtl}; when the stream goes down, everything cached is
 * forgotten and new entries get the short TTL again. Failures are never cached: a refused token is
 * asked about again, and nothing is logged for it.
 *
 * <p>Revocations name token ids, the cache is keyed by token value: a secondary index (token id →
 * cached values) makes a revocation cost a map lookup, not a scan. The index follows the cache
 * through its removal listener.
 */
public final class CachingTokenValidator implements TokenValidator {
    private final TokenValidator upstream;
    private final Cache<String, Principal> cache;
    private final Map<String, Set<String>> byTokenId = new ConcurrentHashMap<>();
    /**
     * Counts invalidations, so that a validation that was in flight while one happened does not
     * leave behind what it read before the revocation committed.
     */
    private final AtomicLong invalidations = new AtomicLong();

    private final long shortTtlNanos;
    private final long liveTtlNanos;
    private volatile boolean streamLive;

    /** A cache with one fixed time to live, for a service without a revocation stream. */
    public CachingTokenValidator(TokenValidator upstream, Duration ttl, long maxEntries) {
        this(upstream, ttl, ttl, maxEntries, Ticker.systemTicker());
    }

    /**
     * @param ttl how long an entry lives while no revocation stream is connected (the fallback)
     * @param liveTtl how long an entry lives while the stream is connected
     * @param ticker the time source (tests advance a fake one)
     */
    public CachingTokenValidator(
            TokenValidator upstream, Duration ttl, Duration liveTtl, long maxEntries, Ticker ticker) {
        this.upstream = upstream;
        this.shortTtlNanos = ttl.toNanos();
        this.liveTtlNanos = Math.max(liveTtl.toNanos(), shortTtlNanos);
        this.cache = Caffeine.newBuilder()
                .expireAfter(new Expiry<String, Principal>() {
                    @Override
                    public long expireAfterCreate(String token, Principal principal, long now) {
                        return streamLive ? liveTtlNanos : shortTtlNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String token, Principal principal, long now, long remaining) {
                        return expireAfterCreate(token, principal, now);
                    }

                    @Override
                    public long expireAfterRead(String token, Principal principal, long now, long remaining) {
                        return remaining;
                    }
                })
                .maximumSize(maxEntries)
                .ticker(ticker)
                // Runs on Caffeine's executor, never inside an index update (no recursive map update).
                .removalListener((String token, Principal principal, RemovalCause cause) -> {
                    if (token != null && principal != null) {
                        unindex(token, principal.tokenId());
                    }
                })
                .build();
    }

    @Override
    public Uni<Principal> validate(String token) {
        Principal cached = cache.getIfPresent(token);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        long seen = invalidations.get();
        return upstream.validate(token).invoke(principal -> remember(token, principal, seen));
    }

    @Override
    public Principal cachedOrNull(String token) {
        return cache.getIfPresent(token);
    }

    /** Forgets every cached principal of a token id (revocation knows ids, not values). */
    public void invalidateTokenId(String tokenId) {
        invalidateTokenIds(List.of(tokenId));
    }

    /** Forgets every cached principal of these token ids, at the cost of one index lookup each. */
    public void invalidateTokenIds(Collection<String> tokenIds) {
        invalidations.incrementAndGet();
        for (String id : tokenIds) {
            Set<String> tokens = byTokenId.remove(id);
            if (tokens != null) {
                cache.invalidateAll(tokens);
            }
        }
    }

    /** Forgets everything: revocations may have been missed. */
    public void invalidateAll() {
        invalidations.incrementAndGet();
        cache.invalidateAll();
    }

    /**
     * The revocation stream is connected: what happened while it was not may have been missed, so
     * everything is forgotten, and entries from now on may live for the longer TTL.
     */
    public void revocationStreamLive() {
        streamLive = true;
        invalidateAll();
    }

    /**
     * The revocation stream is gone: entries cached under the longer TTL would outlive the
     * fallback guarantee, so they are forgotten and new ones get the short TTL.
     */
    public void revocationStreamDown() {
        boolean wasLive = streamLive;
        streamLive = false;
        if (wasLive) {
            invalidateAll();
        }
    }

    public boolean isRevocationStreamLive() {
        return streamLive;
    }

    private void remember(String token, Principal principal, long seen) {
        cache.put(token, principal);
        // Index only what is still cached: a removal that ran before this line is not undone.
        byTokenId.compute(principal.tokenId(), (id, tokens) -> {
            if (!cache.asMap().containsKey(token)) {
                return tokens;
            }
            Set<String> set = tokens == null ? ConcurrentHashMap.newKeySet() : tokens;
            set.add(token);
            return set;
        });
        // An invalidation since the upstream call began may have looked for this entry before it
        // was indexed, and what upstream read may predate it: do not keep it.
        if (invalidations.get() != seen) {
            cache.invalidate(token);
        }
    }

    private void unindex(String token, String tokenId) {
        byTokenId.computeIfPresent(tokenId, (id, tokens) -> {
            // The same value may have been cached again since; keep it indexed then.
            if (!cache.asMap().containsKey(token)) {
                tokens.remove(token);
            }
            return tokens.isEmpty() ? null : tokens;
        });
    }

    /** Runs the cache's pending maintenance now (tests: expiry under a fake ticker). */
    void cleanUpForTests() {
        cache.cleanUp();
    }

    /** How many token ids the index holds (tests check that it follows the cache). */
    int indexedTokenIds() {
        return byTokenId.size();
    }
}
