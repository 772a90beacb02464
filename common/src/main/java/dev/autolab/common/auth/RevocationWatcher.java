package dev.autolab.common.auth;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc.MutinyInternalAuthServiceStub;
import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.auth.v1.WatchRevocationsRequest;
import io.grpc.Context;

/**
 * Keeps a {@link CachingTokenValidator} connected to auth-service's {@code WatchRevocations} stream:
 * each pushed revocation drops the credential from the cache at once.
 *
 * <p>The stream's first message says it is live: the cache then forgets everything (revocations
 * may have been missed while it was not) and may keep entries for its longer TTL. auth-service
 * sends an empty message at least every second; when the stream ends, fails, or stays silent for
 * {@link Timing#silenceLimit()} (a connection that died without a word), the cache forgets
 * everything and falls back to its short TTL, and the watcher reconnects with exponential backoff.
 *
 * <p>A service that must act on a revocation itself (node-registry disconnects the node whose
 * credential died, with the reason) passes a listener: it hears every message that names
 * credentials, after the cache has dropped them.
 */
public final class RevocationWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RevocationWatcher.class);

    /** Runs a task after a delay; tests pass one they drive by hand. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Duration delay, Runnable task);
    }

    /**
     * @param initialBackoff the first reconnection delay, doubled at each failed attempt
     * @param maxBackoff the longest reconnection delay
     * @param silenceLimit how long a live stream may stay silent before it is taken for dead;
     *     with auth-service's 1 s heartbeat, 3 s keeps a silently dead stream within the 5 s bound
     */
    public record Timing(Duration initialBackoff, Duration maxBackoff, Duration silenceLimit) {
        public static final Timing DEFAULT =
                new Timing(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(3));
    }

    private final MutinyInternalAuthServiceStub authService;
    private final CachingTokenValidator cache;
    private final WatchRevocationsRequest request;
    private final Timing timing;
    private final Scheduler scheduler;
    private final ScheduledExecutorService ownExecutor;
    private final Consumer<Revocations> listener;

    // Guarded by this.
    private long attempt;
    private long received;
    private int failures;
    private boolean live;
    /** How many times the stream has become live; see {@link #timesLive()}. */
    private long timesLive;

    private boolean closed;
    /**
     * The open call's context: cancelling it ends the call, whose failure then reaches the (stale)
     * subscriber and is ignored. Cancelling the Mutiny subscription instead would make Mutiny log
     * that failure as dropped, at every reconnection.
     */
    private Context.CancellableContext call;

    /** A watcher with the default timing, on a daemon thread of its own. */
    public RevocationWatcher(MutinyInternalAuthServiceStub authService, CachingTokenValidator cache, String watcher) {
        this(authService, cache, watcher, Timing.DEFAULT, null);
    }

    /** @param scheduler runs reconnections and silence checks; null for a daemon thread of the watcher's own */
    public RevocationWatcher(
            MutinyInternalAuthServiceStub authService,
            CachingTokenValidator cache,
            String watcher,
            Timing timing,
            Scheduler scheduler) {
        this(authService, cache, watcher, timing, scheduler, null);
    }

    /**
     * @param scheduler runs reconnections and silence checks; null for a daemon thread of the watcher's own
     * @param listener hears each message naming revoked credentials (with their reasons), after the cache
     *     forgot them; called on the stream's thread, so it must hand long work off; null for none
     */
    public RevocationWatcher(
            MutinyInternalAuthServiceStub authService,
            CachingTokenValidator cache,
            String watcher,
            Timing timing,
            Scheduler scheduler,
            Consumer<Revocations> listener) {
        this.listener = listener;
        this.authService = authService;
        this.cache = cache;
        this.request = WatchRevocationsRequest.newBuilder().setWatcher(watcher).build();
        this.timing = timing;
        if (scheduler == null) {
            this.ownExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "revocation-watcher");
                t.setDaemon(true);
                return t;
            });
            this.scheduler = (delay, task) -> ownExecutor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } else {
            this.ownExecutor = null;
            this.scheduler = scheduler;
        }
    }

    /** Connects (and keeps reconnecting until {@link #close()}). */
    public RevocationWatcher start() {
        connect();
        return this;
    }

    public synchronized boolean isLive() {
        return live;
    }

    /**
     * How many times the stream has become live so far (counted after the cache was flushed). A
     * caller that compares it between two looks learns whether the stream was down in between, even
     * when the outage was too short to be seen by {@link #isLive()}: revocations made then were never
     * pushed.
     */
    public synchronized long timesLive() {
        return timesLive;
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        long current = ++attempt;
        received = 0;
        armSilenceCheck(current, 0);
        Context.CancellableContext context = Context.ROOT.withCancellation();
        call = context;
        context.run(() -> authService
                .watchRevocations(request)
                .subscribe()
                .with(
                        message -> onMessage(current, message),
                        failure -> onEnd(current, failure.toString()),
                        () -> onEnd(current, "the stream ended")));
    }

    private void onMessage(long from, Revocations message) {
        if (record(from, message) && listener != null && message.getTokenIdsCount() > 0) {
            try {
                listener.accept(message);
            } catch (RuntimeException e) {
                // The cache already forgot the credentials; a listener's bug must not end the stream.
                LOG.errorf(e, "revocation listener failed");
            }
        }
    }

    /** Applies a message to the cache; false when it came from a stream that is no longer current. */
    private synchronized boolean record(long from, Revocations message) {
        if (from != attempt) {
            return false;
        }
        received++;
        if (!live) {
            live = true;
            failures = 0;
            cache.revocationStreamLive();
            timesLive++;
            LOG.info("revocation stream from auth-service is live");
        }
        if (message.getTokenIdsCount() > 0) {
            cache.invalidateTokenIds(message.getTokenIdsList());
        }
        armSilenceCheck(from, received);
        return true;
    }

    private synchronized void onEnd(long from, String why) {
        if (from != attempt || closed) {
            return;
        }
        disconnect(why);
    }

    private void armSilenceCheck(long from, long count) {
        scheduler.schedule(timing.silenceLimit(), () -> {
            synchronized (this) {
                if (from == attempt && received == count && !closed) {
                    disconnect("no message for " + timing.silenceLimit().toMillis() + " ms");
                }
            }
        });
    }

    // Holds this.
    private void disconnect(String why) {
        attempt++; // late callbacks of the old stream are ignored from here on
        endCall();
        if (live) {
            LOG.warnf(
                    "revocation stream from auth-service lost (%s); cached credentials now expire after the short TTL"
                            + " until it reconnects",
                    why);
        } else if (failures == 0) {
            LOG.warnf("cannot open the revocation stream from auth-service (%s); retrying", why);
        }
        live = false;
        cache.revocationStreamDown();
        long delay =
                Math.min(timing.maxBackoff().toNanos(), timing.initialBackoff().toNanos() << Math.min(failures, 20));
        failures++;
        // Half fixed, half random: replicas of a service do not all reconnect at the same instant.
        long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        scheduler.schedule(Duration.ofNanos(jittered), this::connect);
    }

    // Holds this.
    private void endCall() {
        if (call != null) {
            call.cancel(null);
            call = null;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            attempt++;
            live = false;
            endCall();
            cache.revocationStreamDown();
        }
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }
}
