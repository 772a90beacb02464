package dev.autolab.nodes.lease;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.google.protobuf.Timestamp;

import dev.autolab.common.auth.Principal;
import dev.autolab.common.auth.TokenValidator;
import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;
import dev.autolab.common.error.StatusMapper;
import dev.autolab.nodes.config.NodesConfig;
import dev.autolab.nodes.node.Node;
import dev.autolab.nodes.node.NodeFields;
import dev.autolab.nodes.node.NodeRepository;
import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.Disconnect;
import dev.autolab.proto.nodes.v1.LeaseGranted;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.Resources;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The nodes connected to this replica, one stream each, and their leases. Leases live here, in
 * memory, and reach PostgreSQL in batches ({@link #flush()}): one UPDATE for all leases renewed since
 * the last flush, not one write per heartbeat. The periodic work ({@link #expire()}, {@link
 * #revalidate()}, {@link #flush()}) is driven by {@link NodeSweeper}, one pass over the map for all
 * streams.
 */
@ApplicationScoped
public class ConnectedNodes {
    private static final Logger LOG = Logger.getLogger(ConnectedNodes.class);

    private final Map<UUID, Session> byNode = new ConcurrentHashMap<>();
    private final Map<String, Session> byTokenId = new ConcurrentHashMap<>();
    /**
     * Ended sessions whose last lease may not be flushed yet, by node: what ListNodes shows for them
     * until the flush (a node that said goodbye is offline at once, not at the next flush).
     */
    private final Map<UUID, Session> departed = new ConcurrentHashMap<>();

    @Inject
    NodeRepository nodes;

    @Inject
    Pool pool;

    @Inject
    TokenValidator validator;

    @Inject
    Clock clock;

    @Inject
    NodesConfig config;

    @Inject
    MeterRegistry metrics;

    /**
     * More heartbeats than this within one heartbeat interval (the node is told to send one) and the
     * stream ends with RESOURCE_EXHAUSTED: a node flooding heartbeats costs the registry for nothing.
     */
    static final int MAX_HEARTBEATS_PER_INTERVAL = 10;

    /** Most ValidateToken calls a re-validation pass has in flight at once. */
    static final int REVALIDATIONS_IN_FLIGHT = 32;

    private final AtomicBoolean revalidating = new AtomicBoolean();
    private final AtomicBoolean revalidateAgain = new AtomicBoolean();

    private Counter heartbeats;
    private long leaseMillis;
    private long intervalMillis;

    @PostConstruct
    void init() {
        leaseMillis = config.lease().toMillis();
        intervalMillis = Math.max(1, config.heartbeatInterval().toMillis());
        heartbeats = metrics.counter("autolab.nodes.heartbeats");
        metrics.gauge("autolab.nodes.connected.streams", byNode, Map::size);
    }

    /** Opens a node's stream: the node is looked up, then holds a lease until it stops heartbeating. */
    public StreamObserver<NodeMessage> connect(Principal node, String token, StreamObserver<ControlMessage> out) {
        Session session = new Session(
                this,
                parseId(node.nodeId()),
                node.project(),
                node.tokenId(),
                token,
                node.expiresAt() == null ? Long.MAX_VALUE : node.expiresAt().toEpochMilli(),
                out,
                Vertx.currentContext());
        if (session.nodeId == null) {
            // Not a credential of any node this registry could have registered.
            session.markClosed();
            session.finish(disconnectMessage(DisconnectReason.NODE_REMOVED));
            return session;
        }
        nodes.findById(pool, session.nodeId)
                .subscribe()
                .with(
                        found -> {
                            if (found == null || !found.project().equals(session.project)) {
                                end(session, DisconnectReason.NODE_REMOVED);
                            } else {
                                attach(session);
                            }
                        },
                        failure -> {
                            if (session.markClosed()) {
                                session.fail(StatusMapper.toStatus(failure));
                            }
                        });
        return session;
    }

    private void attach(Session session) {
        Session older = byNode.put(session.nodeId, session);
        byTokenId.put(session.tokenId, session);
        if (older != null && older != session && older.markClosed()) {
            // One stream per node: the newer replaces the older, which is closed without a Disconnect.
            byTokenId.remove(older.tokenId, older);
            older.finish(null);
        }
        if (session.isClosed()) {
            // The node left (or was disconnected) while it was being looked up.
            byNode.remove(session.nodeId, session);
            byTokenId.remove(session.tokenId, session);
            return;
        }
        renew(session, true);
        // A revocation pushed between the interceptor's check and this point found no stream to end:
        // the (cached) validation sees it, since the push dropped the credential from the cache.
        recheck(session).subscribe().with(ignored -> {});
    }

    /**
     * Renews the lease from now. The node hears of it on connect ({@code always}), then at most once
     * per half heartbeat interval, and only while it reads what it is sent: renewing is cheap, but an
     * answer to every heartbeat of a node that floods and never reads would pile up here unbounded.
     */
    private void renew(Session session, boolean always) {
        long now = clock.millis();
        session.leaseExpiresAt = now + leaseMillis;
        session.lastSeenAt = now;
        session.markDirty();
        ControlMessage lease = ControlMessage.newBuilder()
                .setLease(LeaseGranted.newBuilder().setExpiresAt(timestamp(session.leaseExpiresAt)))
                .build();
        if (always) {
            session.leaseSentAt = now;
            session.send(lease);
        } else if (now - session.leaseSentAt >= intervalMillis / 2 || now < session.leaseSentAt) {
            session.leaseSentAt = now;
            session.sendIfReady(lease);
        }
    }

    void onMessage(Session session, NodeMessage message) {
        if (byNode.get(session.nodeId) != session) {
            return; // not attached yet, or already ended
        }
        if (message.hasHeartbeat()) {
            heartbeats.increment();
            if (session.countHeartbeat(clock.millis(), intervalMillis) > MAX_HEARTBEATS_PER_INTERVAL) {
                if (detach(session)) {
                    LOG.warnf("node %s flooded heartbeats; its stream is ended", session.nodeId);
                    session.fail(StatusMapper.toStatus(Errors.resourceExhausted("this node sent more than "
                            + MAX_HEARTBEATS_PER_INTERVAL + " heartbeats within " + intervalMillis / 1000
                            + " s; send one every heartbeat_interval_seconds (as `autolab serve` does) and"
                            + " connect again")));
                }
                return;
            }
            if (message.getHeartbeat().hasResources()) {
                try {
                    session.reported =
                            NodeFields.resources(message.getHeartbeat().getResources());
                } catch (AutolabException bad) {
                    if (detach(session)) {
                        session.fail(StatusMapper.toStatus(bad));
                    }
                    return;
                }
            }
            renew(session, false);
        }
    }

    /** The node ended its stream ({@code clean}: it said goodbye, so it is offline at once) or the connection broke. */
    void onNodeGone(Session session, boolean clean) {
        if (!detach(session)) {
            return;
        }
        if (clean) {
            long now = clock.millis();
            if (session.leaseExpiresAt > now) {
                session.leaseExpiresAt = now;
                session.markDirty();
                departed.put(session.nodeId, session); // again: a flush may have taken it since detach
            }
            session.finish(null);
        }
    }

    /** Tells a connected node why it must stop, and ends its stream. False when it is not connected here. */
    public boolean disconnect(UUID nodeId, DisconnectReason reason) {
        Session session = byNode.get(nodeId);
        return session != null && end(session, reason);
    }

    private boolean end(Session session, DisconnectReason reason) {
        if (!detach(session)) {
            return false;
        }
        // Told to stop, the node is offline from now on, not when its lease would have run out.
        long now = clock.millis();
        if (session.leaseExpiresAt > now) {
            session.leaseExpiresAt = now;
            session.markDirty();
            departed.put(session.nodeId, session);
        }
        metrics.counter("autolab.nodes.disconnects", "reason", reason.code()).increment();
        LOG.infof("node %s disconnected: %s", session.nodeId, reason.code());
        session.finish(disconnectMessage(reason));
        return true;
    }

    private static ControlMessage disconnectMessage(DisconnectReason reason) {
        return ControlMessage.newBuilder()
                .setDisconnect(Disconnect.newBuilder().setReason(reason.code()).setMessage(reason.message()))
                .build();
    }

    /** Ends the session's membership once; its unflushed lease goes with the next flush. */
    private boolean detach(Session session) {
        if (!session.markClosed()) {
            return false;
        }
        byNode.remove(session.nodeId, session);
        byTokenId.remove(session.tokenId, session);
        if (session.nodeId != null) {
            departed.put(session.nodeId, session);
        }
        return true;
    }

    /** auth-service revoked credentials: a connected node whose credential died is told why. */
    void onRevocations(@Observes Revocations revocations) {
        for (String tokenId : revocations.getTokenIdsList()) {
            Session session = byTokenId.get(tokenId);
            if (session != null) {
                end(session, DisconnectReason.fromCode(revocations.getReasonsOrDefault(tokenId, "")));
            }
        }
    }

    /** Ends every stream whose lease ran out ({@code lease_expired}) or whose credential expired. */
    public int expire() {
        long now = clock.millis();
        int ended = 0;
        for (Session session : byNode.values()) {
            if (session.leaseExpiresAt <= now) {
                ended += end(session, DisconnectReason.LEASE_EXPIRED) ? 1 : 0;
            } else if (session.credentialExpiresAt <= now) {
                ended += end(session, DisconnectReason.CREDENTIAL_INVALID) ? 1 : 0;
            }
        }
        return ended;
    }

    /**
     * Asks auth-service again about every connected credential (through the caching validator), for
     * while the revocation stream is down: a credential found dead gets {@code credential_invalid}. At
     * most {@link #REVALIDATIONS_IN_FLIGHT} questions are in flight, so that 10,000 nodes do not send
     * 10,000 calls at once; a pass asked for while one runs starts when it ends.
     */
    public void revalidate() {
        revalidateAgain.set(true);
        if (revalidating.compareAndSet(false, true)) {
            revalidationPass();
        }
    }

    private void revalidationPass() {
        revalidateAgain.set(false);
        Multi.createFrom()
                .iterable(List.copyOf(byNode.values()))
                .onItem()
                .transformToUni(this::recheck)
                .merge(REVALIDATIONS_IN_FLIGHT)
                .collect()
                .last()
                .subscribe()
                .with(done -> revalidationEnded(), failure -> revalidationEnded());
    }

    private void revalidationEnded() {
        revalidating.set(false);
        if (revalidateAgain.get() && revalidating.compareAndSet(false, true)) {
            revalidationPass();
        }
    }

    /** Validates the session's credential again; ends the session when auth-service says it is dead. */
    private Uni<Void> recheck(Session session) {
        return validator
                .validate(session.token)
                .onItemOrFailure()
                .invoke((principal, failure) -> {
                    if (failure instanceof StatusRuntimeException sre
                            && sre.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
                        end(session, DisconnectReason.CREDENTIAL_INVALID);
                    }
                })
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Writes every lease renewed since the last flush in one statement; returns how many nodes it wrote. */
    public Uni<Integer> flush() {
        List<Session> batch = new ArrayList<>();
        for (Session session : byNode.values()) {
            if (session.takeDirty()) {
                batch.add(session);
            }
        }
        for (Session gone : departed.values()) {
            if (departed.remove(gone.nodeId, gone) && gone.takeDirty()) {
                batch.add(gone);
            }
        }
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int n = batch.size();
        UUID[] ids = new UUID[n];
        OffsetDateTime[] seen = new OffsetDateTime[n];
        OffsetDateTime[] leases = new OffsetDateTime[n];
        Resources[] resources = new Resources[n];
        for (int i = 0; i < n; i++) {
            Session s = batch.get(i);
            ids[i] = s.nodeId;
            seen[i] = utc(s.lastSeenAt);
            leases[i] = utc(s.leaseExpiresAt);
            Resources reported = s.reported;
            resources[i] = reported;
            s.reported = null;
        }
        return nodes.writeLeases(pool, ids, seen, leases, resources).onFailure().invoke(failure -> {
            // Try again next time: nothing is lost but a few seconds.
            for (int i = 0; i < n; i++) {
                Session s = batch.get(i);
                if (s.reported == null) {
                    s.reported = resources[i];
                }
                s.markDirty();
                if (s.isClosed()) {
                    departed.putIfAbsent(s.nodeId, s);
                }
            }
        });
    }

    /** The node as stored, with this replica's newer lease when it is connected here. */
    public Node withLiveLease(Node node) {
        Session session = byNode.get(node.id());
        if (session != null) {
            return node.withLease(
                    Instant.ofEpochMilli(session.lastSeenAt), Instant.ofEpochMilli(session.leaseExpiresAt));
        }
        Session gone = departed.get(node.id());
        if (gone != null) {
            // Its last lease is the truth even when shorter than the stored one (it said goodbye).
            return node.withEndedLease(
                    Instant.ofEpochMilli(gone.lastSeenAt), Instant.ofEpochMilli(gone.leaseExpiresAt));
        }
        return node;
    }

    public boolean isConnected(UUID nodeId) {
        return byNode.containsKey(nodeId);
    }

    /** How many node streams are open here. */
    public int size() {
        return byNode.size();
    }

    private static UUID parseId(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    private static OffsetDateTime utc(long millis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    static Timestamp timestamp(long millis) {
        return Timestamp.newBuilder()
                .setSeconds(Math.floorDiv(millis, 1000))
                .setNanos((int) Math.floorMod(millis, 1000) * 1_000_000)
                .build();
    }
}
