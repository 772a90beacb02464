package dev.autolab.auth.revocation;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.autolab.proto.auth.v1.Revocations;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * The open {@code WatchRevocations} streams of this replica. Each gets an empty first message (the
 * stream is live), then every revocation this replica hears of through PostgreSQL, and an empty
 * heartbeat whenever it has been idle, so a watcher can tell a dead connection from a quiet one.
 *
 * <p>A subscriber that does not read (its transport stops being ready) gets at most
 * {@code autolab.auth.revocations.subscriber-buffer} messages queued; past that its stream is
 * ended with UNAVAILABLE, so it reconnects and starts its cache over instead of growing this heap.
 * While this replica is not listening to PostgreSQL it would miss revocations, so it refuses new
 * streams and ends the open ones.
 */
@Singleton
public class RevocationHub {
    private static final Logger LOG = Logger.getLogger(RevocationHub.class);
    private static final Revocations EMPTY = Revocations.getDefaultInstance();

    private final int bufferLimit;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private volatile boolean listening;

    @Inject
    /** Services open one stream per process; this bounds what an anonymous caller can hold open. */
    static final int MAX_WATCHERS = 1000;

    public RevocationHub(
            @ConfigProperty(name = "autolab.auth.revocations.subscriber-buffer", defaultValue = "1024")
                    int bufferLimit) {
        this.bufferLimit = bufferLimit;
    }

    /** Starts a stream; refused with UNAVAILABLE while this replica cannot hear revocations. */
    public void subscribe(String watcher, ServerCallStreamObserver<Revocations> out) {
        if (!listening) {
            out.onError(Status.UNAVAILABLE
                    .withDescription("auth-service is not receiving revocations from its database"
                            + " right now; retry shortly (until then, keep the short cache TTL)")
                    .asRuntimeException());
            return;
        }
        if (subscribers.size() >= MAX_WATCHERS) {
            out.onError(Status.RESOURCE_EXHAUSTED
                    .withDescription("this replica already serves " + MAX_WATCHERS
                            + " revocation streams; connect to another replica")
                    .asRuntimeException());
            return;
        }
        // The name only labels log lines: cut and escaped, since no credential vouches for it.
        Subscriber s = new Subscriber(dev.autolab.common.text.Text.echo(watcher), out);
        out.setOnReadyHandler(s::drain);
        out.setOnCancelHandler(() -> s.close(null));
        subscribers.add(s);
        s.offer(EMPTY);
        // The replica may have stopped listening while this one was being added: it must not stay.
        if (!listening) {
            s.close(lostDatabase());
        }
    }

    /** Pushes revoked ids to every open stream. */
    public void publish(List<UUID> ids) {
        publish(ids, Map.of());
    }

    /** Pushes revoked ids, and the reasons of those that have one (node credentials), to every open stream. */
    public void publish(List<UUID> ids, Map<UUID, String> reasons) {
        if (ids.isEmpty()) {
            return;
        }
        Revocations.Builder message = Revocations.newBuilder()
                .addAllTokenIds(ids.stream().map(UUID::toString).toList());
        reasons.forEach((id, reason) -> message.putReasons(id.toString(), reason));
        Revocations built = message.build();
        subscribers.forEach(s -> s.offer(built));
    }

    /** Sends the idle streams an empty message. */
    public void heartbeat() {
        subscribers.forEach(Subscriber::heartbeat);
    }

    /** This replica hears every revocation again. */
    public void listening() {
        listening = true;
    }

    /** This replica may miss revocations: the streams end, so their watchers fall back and reconnect. */
    public void notListening() {
        listening = false;
        subscribers.forEach(s -> s.close(lostDatabase()));
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    private static Status lostDatabase() {
        return Status.UNAVAILABLE.withDescription("auth-service lost its database connection for revocations;"
                + " reconnect (and forget what you cached)");
    }

    /** One stream, with its own bounded queue; its methods are serialized because a StreamObserver is not thread-safe. */
    private final class Subscriber {
        private final String watcher;
        private final ServerCallStreamObserver<Revocations> out;
        private final ArrayDeque<Revocations> queue = new ArrayDeque<>();
        private boolean closed;

        Subscriber(String watcher, ServerCallStreamObserver<Revocations> out) {
            this.watcher = watcher;
            this.out = out;
        }

        synchronized void offer(Revocations message) {
            if (closed) {
                return;
            }
            if (queue.size() >= bufferLimit) {
                LOG.warnf(
                        "revocation watcher %s fell %d messages behind; ending its stream so it starts over",
                        watcher, queue.size());
                close(Status.UNAVAILABLE.withDescription("you fell " + queue.size()
                        + " revocation messages behind; reconnect and forget what you cached"));
                return;
            }
            queue.add(message);
            drain();
        }

        synchronized void drain() {
            while (!closed && !queue.isEmpty() && out.isReady()) {
                out.onNext(queue.poll());
            }
        }

        synchronized void heartbeat() {
            if (!closed && queue.isEmpty() && out.isReady()) {
                out.onNext(EMPTY);
            }
        }

        /** Ends the stream with {@code status}, or just forgets it (null: the watcher went away). */
        synchronized void close(Status status) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            subscribers.remove(this);
            if (status != null && !out.isCancelled()) {
                try {
                    out.onError(status.asRuntimeException());
                } catch (RuntimeException alreadyClosed) {
                    // the call ended meanwhile; nothing to tell
                }
            }
        }
    }
}
