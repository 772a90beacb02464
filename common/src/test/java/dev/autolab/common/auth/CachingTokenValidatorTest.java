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
                token -> Uni.createFrom().emitter(e -> pending[0] = e),
                Duration.ofSeconds(4),
                Duration.ofSeconds(60),
                100,
                nanos::get);
        cache.revocationStreamLive();
        var result = cache.validate("good").subscribeAsCompletionStage();
        cache.invalidateTokenIds(List.of("t1"));
        pending[0].complete(alice);
        assertSame(alice, result.join(), "the call that was in flight still gets its answer");
        assertNull(cache.cachedOrNull("good"), "but the answer is not kept");
    }

    @Test
    void entriesLiveLongerWhileTheStreamIsLiveAndAreForgottenWhenItDrops() {
        CachingTokenValidator cache =
                new CachingTokenValidator(upstream, Duration.ofSeconds(4), Duration.ofSeconds(60), 100, nanos::get);
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

    @Test
    void underConcurrentValidationsNoRevokedCredentialStaysCached() throws Exception {
        // A stress check (the exact interleaving is aValidationInFlightDuringARevocationIsNotCached):
        // the "database": a token works until its id is revoked. Validations race revocations; once
        // all is quiet, no revoked id may be left in the cache (an in-flight read that predates the
        // revocation must not be kept) and the index must have followed every removal.
        java.util.Set<String> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        TokenValidator database = token -> {
            String id = "t" + (Integer.parseInt(token.substring(1)) % 50);
            if (revoked.contains(id)) {
                return Uni.createFrom().failure(Errors.unauthenticated("revoked"));
            }
            Thread.yield(); // widens the window between reading and answering, where revocations land
            return Uni.createFrom().item(new Principal("u", "h", id, "n", TokenKind.TOKEN_KIND_PAT, null));
        };
        CachingTokenValidator cache =
                new CachingTokenValidator(database, Duration.ofSeconds(4), Duration.ofSeconds(60), 10_000, nanos::get);
        cache.revocationStreamLive();
        cache.validate("x1").await().indefinitely(); // Mutiny's infrastructure initialises once, on one thread
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads + 1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            work.add(pool.submit(() -> {
                go.await();
                java.util.Random random = new java.util.Random(seed);
                for (int i = 0; i < 20_000; i++) {
                    try {
                        cache.validate("x" + random.nextInt(500)).await().indefinitely();
                    } catch (AutolabException refused) {
                        // revoked meanwhile
                    }
                }
                return null;
            }));
        }
        work.add(pool.submit(() -> {
            go.await();
            for (int id = 0; id < 50; id += 2) {
                revoked.add("t" + id); // committed first, then announced
                cache.invalidateTokenIds(List.of("t" + id));
                for (int spin = 0; spin < 200; spin++) {
                    Thread.yield(); // spread the revocations over the validations
                }
            }
            return null;
        }));
        go.countDown();
        for (var f : work) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (int i = 0; i < 500; i++) {
            Principal p = cache.cachedOrNull("x" + i);
            if (p != null && revoked.contains(p.tokenId())) {
                throw new AssertionError("x" + i + " of revoked " + p.tokenId() + " is still cached");
            }
        }
        // Everything left is reachable through the index: revoking the rest empties the cache.
        List<String> rest =
                java.util.stream.IntStream.range(0, 50).mapToObj(i -> "t" + i).toList();
        cache.invalidateTokenIds(rest);
        for (int i = 0; i < 500; i++) {
            assertNull(cache.cachedOrNull("x" + i), "x" + i + " was cached but not indexed");
        }
    }
}
