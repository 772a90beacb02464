package dev.autolab.nodes.lease;

import java.util.UUID;

import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.Resources;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Context;

/**
 * One node's live stream: its lease and the way to talk to it. Kept small on purpose (10,000 of them
 * must fit in a few MB): no threads or timers of its own; {@link ConnectedNodes} sweeps all leases at
 * once. Everything written to the stream runs on the stream's own Vert.x context, in order, so that
 * a revocation, the sweeper and the node's heartbeats never write to it at the same time.
 */
final class Session implements StreamObserver<NodeMessage> {
    private final ConnectedNodes registry;
    final UUID nodeId;
    final String project;
    final String tokenId;
    /** The node credential, for re-validation while the revocation stream is down. */
    final String token;
    /** When the credential expires (epoch ms), Long.MAX_VALUE when never. */
    final long credentialExpiresAt;

    private final StreamObserver<ControlMessage> out;
    private final Context context;

    volatile long leaseExpiresAt;
    volatile long lastSeenAt;
    /** Resources reported since the last flush, or null. */
    volatile Resources reported;

    /** When a LeaseGranted was last sent (epoch ms): heartbeats renew the lease, but are answered sparingly. */
    volatile long leaseSentAt = Long.MIN_VALUE;

    // The node's heartbeat rate; only touched by onNext, which gRPC calls one message at a time.
    private long windowStart = Long.MIN_VALUE;
    private int windowHeartbeats;

    private volatile boolean dirty;
    private boolean closed; // guarded by this
    private boolean finished; // the outbound stream is done; only on context

    Session(
            ConnectedNodes registry,
            UUID nodeId,
            String project,
            String tokenId,
            String token,
            long credentialExpiresAt,
            StreamObserver<ControlMessage> out,
            Context context) {
        this.registry = registry;
        this.nodeId = nodeId;
        this.project = project;
        this.tokenId = tokenId;
        this.token = token;
        this.credentialExpiresAt = credentialExpiresAt;
        this.out = out;
        this.context = context;
    }

    // Inbound: what the node sends.

    @Override
    public void onNext(NodeMessage message) {
        registry.onMessage(this, message);
    }

    @Override
    public void onError(Throwable t) {
        registry.onNodeGone(this, false);
    }

    @Override
    public void onCompleted() {
        registry.onNodeGone(this, true);
    }

    // State.

    /** Ends the session once; false when it had already ended. */
    synchronized boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Counts a heartbeat at {@code now}; returns how many arrived in the current window of {@code windowMillis}. */
    int countHeartbeat(long now, long windowMillis) {
        if (windowStart == Long.MIN_VALUE || now - windowStart >= windowMillis || now < windowStart) {
            windowStart = now;
            windowHeartbeats = 0;
        }
        return ++windowHeartbeats;
    }

    void markDirty() {
        dirty = true;
    }

    /** Whether the lease changed since the last flush; clears the mark (read the lease after this). */
    boolean takeDirty() {
        if (!dirty) {
            return false;
        }
        dirty = false;
        return true;
    }

    // Outbound: what the registry sends.

    void send(ControlMessage message) {
        onContext(() -> {
            if (!finished) {
                try {
                    out.onNext(message);
                } catch (RuntimeException cancelled) {
                    finished = true;
                }
            }
        });
    }

    /**
     * Sends {@code message} unless the call's outbound buffer is full (the node is not reading): what
     * is only a refresh of what the node was told before may be dropped rather than queued without bound.
     */
    void sendIfReady(ControlMessage message) {
        onContext(() -> {
            if (!finished && (!(out instanceof ServerCallStreamObserver<ControlMessage> call) || call.isReady())) {
                try {
                    out.onNext(message);
                } catch (RuntimeException cancelled) {
                    finished = true;
                }
            }
        });
    }

    /** Sends {@code last} (null for nothing) and ends the stream. */
    void finish(ControlMessage last) {
        onContext(() -> {
            if (finished) {
                return;
            }
            finished = true;
            try {
                if (last != null) {
                    out.onNext(last);
                }
                out.onCompleted();
            } catch (RuntimeException cancelled) {
                // The node went away meanwhile: nothing left to tell it.
            }
        });
    }

    void fail(StatusRuntimeException status) {
        onContext(() -> {
            if (finished) {
                return;
            }
            finished = true;
            try {
                out.onError(status);
            } catch (RuntimeException cancelled) {
                // already gone
            }
        });
    }

    private void onContext(Runnable action) {
        if (context == null) {
            synchronized (out) {
                action.run();
            }
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }
}
