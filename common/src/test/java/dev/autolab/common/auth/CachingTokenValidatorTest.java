package dev.autolab.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;
import dev.autolab.proto.auth.v1.TokenKind;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

class CachingTokenValidatorTest {
    private final Principal alice = new Principal("u1", "alice", "t1", "laptop", TokenKind.TOKEN_KIND_PAT, null);
    private final Principal aliceSession = new Principal("u1", "alice", "t1", "laptop", TokenKind.TOKEN_KIND_PAT, null);
    private final Principal bob = new Principal("u2", "bob", "t2", "desk", TokenKind.TOKEN_KIND_PAT, null);
    private final AtomicInteger upstreamCalls = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong(1);

    private final TokenValidator upstream = token -> {
        upstreamCalls.incrementAndGet();
        return switch (token) {
            case "good", "good-copy" -> Uni.createFrom().item(token.equals("good") ? alice : aliceSession);
            case "bob" -> Uni.createFrom().item(bob);
            default -> Uni.createFrom().failure(Errors.unauthenticated("no"));
        };
    };

    private CachingTokenValidator cache(Duration ttl) {
        return new CachingTokenValidator(upstream, ttl, ttl, 100, nanos::get);
    }

    @Test
    void aSecondValidationIsServedFromTheCache() {
        CachingTokenValidator cache = new CachingTokenValidator(upstream, Duration.ofSeconds(4), 100);
        assertNull(cache.cachedOrNull("good"));
        assertSame(alice, cache.validate("good").await().indefinitely());
        assertSame(alice, cache.cachedOrNull("good"));
        assertSame(alice, cache.validate("good").await().indefinitely());
        assertEquals(1, upstreamCalls.get());
    }

    @Test
    void failuresAreNotCached() {
        CachingTokenValidator cache = cache(Duration.ofSeconds(4));
        assertThrows(AutolabException.class, () -> cache.validate("bad").await().indefinitely());
        assertThrows(AutolabException.class, () -> cache.validate("bad").await().indefinitely());
        assertNull(cache.cachedOrNull("bad"));
        assertEquals(2, upstreamCalls.get());
    }

    @Test
    void entriesExpireAfterTheirTimeToLive() {
        CachingTokenValidator cache = cache(Duration.ofSeconds(4));
        cache.validate("good").await().indefinitely();
        nanos.addAndGet(Duration.ofMillis(3999).toNanos());
        assertSame(alice, cache.cachedOrNull("good"));
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertNull(cache.cachedOrNull("good"));
    }

    @Test
    void invalidatingByTokenIdForgetsThePrincipal() {
        CachingTokenValidator cache = cache(Duration.ofSeconds(4));
        cache.validate("good").await().indefinitely();
        cache.validate("good-copy").await().indefinitely();
        cache.validate("bob").await().indefinitely();
        cache.invalidateTokenId("t1");
        assertNull(cache.cachedOrNull("good"));
        assertNull(cache.cachedOrNull("good-copy"), "every cached value of the token id goes");
        assertSame(bob, cache.cachedOrNull("bob"), "other credentials stay");
    }

    @Test
    void theTokenIdIndexFollowsTheCache() {
        CachingTokenValidator cache = cache(Duration.ofSeconds(4));
        cache.validate("good").await().indefinitely();
        cache.validate("bob").await().indefinitely();
        assertEquals(2, cache.indexedTokenIds());
        // Expired entries leave the index when the cache cleans them up (its removal listener).
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        Poll.until("expired entries leave the index", Duration.ofSeconds(5), () -> {
            cache.cleanUpForTests();
            return cache.indexedTokenIds() == 0;
        });
        // A value cached again after it expired is indexed again, and a revocation still finds it.
        cache.validate("good").await().indefinitely();
        cache.invalidateTokenIds(List.of("t1"));
        assertNull(cache.cachedOrNull("good"));
    }

    @Test
    void aValidationInFlightDuringARevocationIsNotCached() {
        // The upstream answer was read before the revocation committed; caching it would let the
        // revoked token work until the TTL ends.
        UniEmitter<? super Principal>[] pending = new UniEmitter[1];
        CachingTokenValidator cache = new CachingTokenValidator(
                token -> Uni.createFrom().emitter(e -> pending[0] = e), Duration.ofSeconds(4), Duration.ofSeconds(60),
                100, nanos::get);
        cache.revocationStreamLive();
        var result = cache.validate("good").subscribeAsCompletionStage();
        cache.invalidateTokenIds(List.of("t1"));
        pending[0].complete(alice);
        assertSame(alice, result.join(), "the call that was in flight still gets its answer");
        assertNull(cache.cachedOrNull("good"), "but the answer is not kept");
    }

    @Test
    void entriesLiveLongerWhileTheStreamIsLiveAndAreForgottenWhenItDrops() {
        CachingTokenValidator cache = new CachingTokenValidator(upstream, Duration.ofSeconds(4), Duration.ofSeconds(60),
                100, nanos::get);
        cache.revocationStreamLive();
        cache.validate("good").await().indefinitely();
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertSame(alice, cache.cachedOrNull("good"));
        cache.revocationStreamDown();
        assertNull(cache.cachedOrNull("good"));
        cache.validate("good").await().indefinitely();
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertNull(cache.cachedOrNull("good"));
    }
}
