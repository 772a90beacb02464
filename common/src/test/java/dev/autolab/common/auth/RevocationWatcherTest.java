package dev.autolab.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.auth.v1.TokenKind;
import io.grpc.StatusRuntimeException;

/** The revocation stream against a real gRPC server: pushes drop cached principals; a broken stream falls back. */
class RevocationWatcherTest {
    private static final Duration SHORT = Duration.ofSeconds(4);
    private static final Duration LIVE = Duration.ofSeconds(60);
    private static final Duration SOON = Duration.ofSeconds(15); // a deadline for network events on a loaded machine

    private final Principal alice = new Principal("u1", "alice", "t1", "laptop", TokenKind.TOKEN_KIND_PAT, null);
    private final Principal bob = new Principal("u2", "bob", "t2", "desk", TokenKind.TOKEN_KIND_PAT, null);
    private final AtomicLong nanos = new AtomicLong(1);
    private final ManualScheduler scheduler = new ManualScheduler();
    private FakeAuthService auth;
    private CachingTokenValidator cache;
    private RevocationWatcher watcher;

    @BeforeEach
    void start() throws Exception {
        auth = new FakeAuthService();
        auth.tokens.put("alice-token", alice);
        auth.tokens.put("bob-token", bob);
        cache = new CachingTokenValidator(
                new RemoteTokenValidator(auth.stub(), Duration.ofSeconds(5)), SHORT, LIVE, 100, nanos::get);
        watcher = new RevocationWatcher(
                auth.stub(),
                cache,
                "test",
                new RevocationWatcher.Timing(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(3)),
                scheduler);
    }

    @AfterEach
    void stop() throws Exception {
        watcher.close();
        auth.close();
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aPushedRevocationRemovesTheCachedPrincipalAtOnce() {
        watcher.start();
        Poll.until("the stream is live", SOON, watcher::isLive);
        assertEquals(alice, cache.validate("alice-token").await().atMost(SOON));
        assertEquals(bob, cache.validate("bob-token").await().atMost(SOON));

        // Live: entries outlive the short TTL, revocations arrive by push.
        advance(SHORT.plusSeconds(10));
        assertEquals(alice, cache.cachedOrNull("alice-token"));

        long pushed = System.nanoTime();
        auth.revoke("t1");
        Poll.until(
                "the pushed revocation drops alice's token",
                Duration.ofSeconds(1),
                () -> cache.cachedOrNull("alice-token") == null);
        System.out.printf("pushed revocation reached the cache in %.2f ms%n", (System.nanoTime() - pushed) / 1e6);
        assertEquals(bob, cache.cachedOrNull("bob-token"), "only the revoked credential is forgotten");
        var refused = assertThrows(
                StatusRuntimeException.class,
                () -> cache.validate("alice-token").await().atMost(SOON));
        assertEquals("UNAUTHENTICATED", refused.getStatus().getCode().name());
    }

    @Test
    void aListenerHearsEachRevocationWithItsReasonAfterTheCacheForgotIt() throws Exception {
        watcher.close();
        java.util.List<Revocations> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Boolean> cachedWhenHeard = new java.util.concurrent.CopyOnWriteArrayList<>();
        watcher = new RevocationWatcher(
                        auth.stub(),
                        cache,
                        "test",
                        new RevocationWatcher.Timing(
                                Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(3)),
                        scheduler,
                        message -> {
                            cachedWhenHeard.add(cache.cachedOrNull("alice-token") != null);
                            heard.add(message);
                        })
                .start();
        Poll.until("the stream is live", SOON, watcher::isLive);
        cache.validate("alice-token").await().atMost(SOON);

        auth.revokeWithReasons(java.util.Map.of("t1", "role_lost"));
        Poll.until("the listener hears the revocation", SOON, () -> !heard.isEmpty());
        assertEquals(1, heard.size(), "the empty live message is not passed on");
        assertEquals(java.util.List.of("t1"), heard.get(0).getTokenIdsList());
        assertEquals("role_lost", heard.get(0).getReasonsOrThrow("t1"));
        assertEquals(java.util.List.of(false), cachedWhenHeard, "the cache had forgotten alice's token already");
    }

    @Test
    void aBrokenStreamRevertsToTheShortTtlAndReconnects() {
        watcher.start();
        Poll.until("the stream is live", SOON, watcher::isLive);
        assertEquals(1, watcher.timesLive());
        cache.validate("alice-token").await().atMost(SOON);

        auth.breakStreams();
        Poll.until("the watcher sees the stream end", SOON, () -> !watcher.isLive());
        assertNull(cache.cachedOrNull("alice-token"), "what was cached under the long TTL is forgotten");
        assertFalse(cache.isRevocationStreamLive());

        // Down: a new entry lives for the short TTL only.
        cache.validate("alice-token").await().atMost(SOON);
        advance(SHORT.minusMillis(1));
        assertNotNull(cache.cachedOrNull("alice-token"));
        advance(Duration.ofMillis(2));
        assertNull(cache.cachedOrNull("alice-token"));
        cache.validate("alice-token").await().atMost(SOON);

        // The reconnection is scheduled with backoff; once it runs the stream is live again and the
        // cache starts over (revocations may have been missed meanwhile).
        assertEquals(1, auth.watchCalls.get());
        scheduler.runDue();
        Poll.until("the watcher reconnects", SOON, watcher::isLive);
        assertEquals(2, auth.watchCalls.get());
        assertEquals(2, watcher.timesLive(), "a reconnection counts, so an outage between two looks is seen");
        assertNull(cache.cachedOrNull("alice-token"), "reconnecting forgets what was cached while down");

        cache.validate("alice-token").await().atMost(SOON);
        auth.revoke("t1");
        Poll.until(
                "revocations are pushed again", Duration.ofSeconds(1), () -> cache.cachedOrNull("alice-token") == null);
    }

    @Test
    void reconnectionBacksOffWhileAuthServiceIsDown() throws Exception {
        auth.close();
        watcher.start();
        for (int i = 1; i <= 4; i++) {
            int expected = i;
            Poll.until(
                    "failed attempt " + i + " schedules a retry",
                    SOON,
                    () -> retries().size() >= expected);
            scheduler.runDue();
        }
        assertFalse(watcher.isLive());
        // Each retry waits between half and all of 100 ms, 200 ms, 400 ms, 800 ms (silence checks are 3 s).
        var retries = retries();
        for (int i = 0; i < 4; i++) {
            long full = 100L << i;
            long ms = retries.get(i).toMillis();
            assertTrue(ms >= full / 2 && ms <= full, "retry " + i + " waited " + ms + " ms");
        }
    }

    /** Delays of scheduled reconnections (the 3 s ones are silence checks). */
    private java.util.List<Duration> retries() {
        return scheduler.delays().stream()
                .filter(d -> !d.equals(Duration.ofSeconds(3)))
                .toList();
    }

    @Test
    void aSilentStreamIsTakenForDead() {
        watcher.start();
        Poll.until("the stream is live", SOON, watcher::isLive);
        cache.validate("alice-token").await().atMost(SOON);
        // No message (not even a heartbeat) before the silence check runs: the connection may be gone
        // without a word, so pushes can no longer be trusted.
        scheduler.runDue();
        assertFalse(watcher.isLive());
        assertNull(cache.cachedOrNull("alice-token"));
    }

    @Test
    void aStreamThatNeverSaysItIsLiveKeepsTheShortTtl() {
        auth.announceLive = false;
        watcher.start();
        Poll.until("the call reaches the server", SOON, () -> auth.watchCalls.get() == 1);
        cache.validate("alice-token").await().atMost(SOON);
        advance(SHORT.plusMillis(1));
        assertNull(cache.cachedOrNull("alice-token"));
        assertFalse(watcher.isLive());
    }
}
