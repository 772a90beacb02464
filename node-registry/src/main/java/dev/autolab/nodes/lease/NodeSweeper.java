package dev.autolab.nodes.lease;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.autolab.common.auth.AuthServiceValidator;
import dev.autolab.nodes.config.NodesConfig;
import dev.autolab.nodes.node.AuthCalls;
import dev.autolab.nodes.node.Node;
import dev.autolab.nodes.node.NodeRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The periodic work, one timer for all nodes: end expired leases, re-validate credentials while the
 * revocation stream is down (or came back since the last sweep), flush leases to PostgreSQL, and remove nodes offline past the grace
 * period (credentials revoked first, reason {@code node_removed}, then the row). Tests turn the timer
 * off ({@code autolab.nodes.sweep-interval=0s}) and call {@link #sweep()} after moving their clock.
 */
@ApplicationScoped
public class NodeSweeper {
    private static final Logger LOG = Logger.getLogger(NodeSweeper.class);
    /** Removals per sweep, so that one sweep stays short after a long outage. */
    private static final int REMOVALS_PER_SWEEP = 100;

    @Inject
    ConnectedNodes connected;

    @Inject
    NodeRepository nodes;

    @Inject
    AuthCalls auth;

    @Inject
    AuthServiceValidator validator;

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    @Inject
    NodesConfig config;

    private final AtomicBoolean running = new AtomicBoolean();
    /** {@link AuthServiceValidator#revocationStreamTimesLive()} at the last sweep. */
    private final AtomicLong streamTimesLive = new AtomicLong();

    private Vertx vertx;
    private long timer = -1;

    void start(@Observes StartupEvent started, Vertx vertx) {
        long interval = config.sweepInterval().toMillis();
        if (interval > 0) {
            this.vertx = vertx;
            timer = vertx.setPeriodic(interval, id -> runOnce());
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void runOnce() {
        // A slow database must not pile sweeps up: skip a tick while the previous one runs.
        if (!running.compareAndSet(false, true)) {
            return;
        }
        sweep().subscribe().with(ok -> running.set(false), failure -> {
            running.set(false);
            LOG.warnf("node sweep failed (%s); trying again at the next one", failure.toString());
        });
    }

    /**
     * One pass: expire, re-validate (while revocations are not pushed, or when the stream came back
     * since the last sweep), flush, remove past the grace.
     */
    public Uni<Void> sweep() {
        return Uni.createFrom().deferred(() -> {
            connected.expire();
            // The watcher reconnects within ~100 ms, so an outage may start and end between two sweeps:
            // revocations made during it were never pushed, and the reconnection only flushed the cache.
            // A changed count of "became live" catches it (read before isLive: an outage that starts
            // after this read is seen by the next sweep).
            long timesLive = validator.revocationStreamTimesLive();
            boolean cameBack = streamTimesLive.getAndSet(timesLive) != timesLive;
            if (cameBack || !validator.isRevocationStreamLive()) {
                connected.revalidate();
            }
            return connected.flush().chain(this::removeOffline).replaceWithVoid();
        });
    }

    /**
     * Removes nodes offline for longer than the grace period, at most 100 a sweep; returns how many it
     * tried (100: there may be more for the next sweep).
     */
    public Uni<Integer> removeOffline() {
        Instant cutoff = clock.instant().minus(config.offlineGrace());
        return nodes.offlineSince(pool, cutoff, REMOVALS_PER_SWEEP).chain(stale -> removeAll(stale, cutoff));
    }

    private Uni<Integer> removeAll(List<Node> stale, Instant cutoff) {
        // A node connected here has a fresher lease than the stored one: not stale.
        List<Node> candidates =
                stale.stream().filter(node -> !connected.isConnected(node.id())).toList();
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom()
                .iterable(candidates)
                .onItem()
                .transformToUniAndConcatenate(node -> auth.revokeNode(node.id(), AuthCalls.NODE_REMOVED)
                        .chain(() -> nodes.deleteIfOfflineSince(pool, node.id(), cutoff))
                        .invoke(deleted -> {
                            if (deleted) {
                                LOG.infof(
                                        "node %s of %s removed: offline for more than %s",
                                        node.id(), node.project(), config.offlineGrace());
                            }
                        })
                        .onFailure()
                        .recoverWithItem(failure -> {
                            LOG.warnf("cannot remove offline node %s yet (%s)", node.id(), failure.toString());
                            return false;
                        }))
                .collect()
                .last()
                .replaceWith(candidates.size());
    }
}
