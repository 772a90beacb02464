package dev.autolab.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;
import dev.autolab.proto.auth.v1.TokenKind;
import io.smallrye.mutiny.Uni;

class CachingTokenValidatorTest {
    private final Principal alice = new Principal("u1", "alice", "t1", "laptop", TokenKind.TOKEN_KIND_PAT, null);
    private final AtomicInteger upstreamCalls = new AtomicInteger();

    private final TokenValidator upstream = token -> {
        upstreamCalls.incrementAndGet();
        return token.equals("good") ? Uni.createFrom().item(alice) : Uni.createFrom().failure(Errors.unauthenticated("no"));
    };

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
        CachingTokenValidator cache = new CachingTokenValidator(upstream, Duration.ofSeconds(4), 100);
        assertThrows(AutolabException.class, () -> cache.validate("bad").await().indefinitely());
        assertThrows(AutolabException.class, () -> cache.validate("bad").await().indefinitely());
        assertNull(cache.cachedOrNull("bad"));
        assertEquals(2, upstreamCalls.get());
    }

    @Test
    void entriesExpireAfterTheirTimeToLive() throws InterruptedException {
        CachingTokenValidator cache = new CachingTokenValidator(upstream, Duration.ofMillis(50), 100);
        cache.validate("good").await().indefinitely();
        Thread.sleep(120);
        assertNull(cache.cachedOrNull("good"));
    }

    @Test
    void invalidatingByTokenIdForgetsThePrincipal() {
        CachingTokenValidator cache = new CachingTokenValidator(upstream, Duration.ofSeconds(4), 100);
        cache.validate("good").await().indefinitely();
        cache.invalidateTokenId("t1");
        assertNull(cache.cachedOrNull("good"));
    }
}
