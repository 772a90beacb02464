package dev.autolab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;

import dev.autolab.proto.auth.v1.CreateTokenResponse;
import dev.autolab.proto.auth.v1.RevokeTokenRequest;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.Heartbeat;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.NodeServiceGrpc;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import dev.autolab.proto.nodes.v1.RemoveNodeRequest;
import dev.autolab.proto.nodes.v1.Resources;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * The execution-node fleet at scale, through the gateway of a running suite: registers N nodes (or
 * reuses the credentials of an earlier run against the same suite), holds N {@code Connect} streams
 * over a given number of HTTP/2 connections, heartbeats each every 10 s (spread evenly over the
 * period), and measures the time from a heartbeat to its {@code LeaseGranted}. Then, with the fleet
 * still heartbeating, it revokes the registering token of a few extra nodes and removes a few fleet
 * nodes, and measures how long each affected node waits for its {@code Disconnect}. With the pids of
 * node-registry and the gateway it also reads their live heap (after a full GC) before and after the
 * streams are open.
 *
 * <p>Usage: {@code NodesLoad GATEWAY_HOST:PORT nodes connections seconds} with {@code -Dregistry.pid},
 * {@code -Dgateway.pid}, {@code -Dvictims=3}, {@code -Dper.project=1000} (nodes per project: node-registry
 * allows 1,000 by default), {@code -Dheartbeat.millis=10000}, {@code -Dregister.concurrency=16},
 * {@code -Dcredentials=FILE} (written after registering, 0600; reused when it holds enough nodes).
 */
public final class NodesLoad {
    private static final NodeMessage HEARTBEAT = NodeMessage.newBuilder()
            .setHeartbeat(Heartbeat.getDefaultInstance())
            .build();
    /** Streams being opened but not yet leased: bounds the burst of first validations at node-registry. */
    private static final int OPENING_AT_ONCE = 500;

    private NodesLoad() {}

    /** A registered node: where it belongs and its credential. */
    record Registered(String project, String id, String credential) {}

    public static void main(String[] args) throws Exception {
        String[] address = args[0].split(":");
        int n = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int victims = Integer.getInteger("victims", 3);
        int perProject = Integer.getInteger("per.project", 1000);
        long periodMillis = Long.getLong("heartbeat.millis", 10_000);
        long registryPid = Long.getLong("registry.pid", -1);
        long gatewayPid = Long.getLong("gateway.pid", -1);
        String credentials = System.getProperty("credentials");

        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            // One channel is one HTTP/2 connection (a single address, no load balancing).
            channels.add(NettyChannelBuilder.forAddress(address[0], Integer.parseInt(address[1]))
                    .usePlaintext()
                    .build());
        }
        ManagedChannel setup = channels.get(0);
        Stats stats = new Stats();
        ScheduledExecutorService beats = Executors.newScheduledThreadPool(2);
        List<Node> nodes = new ArrayList<>();
        try {
            Account owner = Account.signUp(setup, "bench");
            String pat = owner.token("bench-register").getSecret();
            List<Registered> fleet = credentials == null ? List.of() : read(Path.of(credentials), n);
            if (fleet.size() < n) {
                fleet = registerFleet(setup, owner, pat, n, perProject);
                if (credentials != null) {
                    write(Path.of(credentials), pat, fleet);
                }
            } else {
                // The earlier run's owner removes its nodes: its PAT is the file's first line.
                pat = Files.readAllLines(Path.of(credentials)).get(0);
                System.out.println("reusing " + n + " node credentials from " + credentials);
            }
            // Victims of revocation: each registered with a PAT of its own, in a project of their own.
            String victimsProject = owner.project(pat, "victims");
            List<CreateTokenResponse> victimTokens = new ArrayList<>();
            List<Registered> victimNodes = new ArrayList<>();
            for (int v = 0; v < victims; v++) {
                CreateTokenResponse token = owner.token("victim-" + v);
                victimTokens.add(token);
                RegisterNodeResponse r = Account.as(NodeAgentServiceGrpc.newBlockingStub(setup), token.getSecret())
                        .registerNode(request(victimsProject, "victim-" + v + "-" + System.nanoTime(), "victim-" + v));
                victimNodes.add(new Registered(victimsProject, r.getNode().getId(), r.getNodeCredential()));
            }

            long heapBefore = registryPid > 0 ? Heap.liveBytes(registryPid) : -1;
            long gatewayBefore = gatewayPid > 0 ? Heap.liveBytes(gatewayPid) : -1;
            long rssBefore = registryPid > 0 ? Heap.rssBytes(registryPid) : -1;

            List<Registered> all = new ArrayList<>(fleet.subList(0, n));
            all.addAll(victimNodes);
            Semaphore opening = new Semaphore(OPENING_AT_ONCE);
            long openStart = System.nanoTime();
            for (int i = 0; i < all.size(); i++) {
                opening.acquire();
                Node node = new Node(all.get(i), stats, opening);
                nodes.add(node);
                node.open(channels.get(i % connections));
            }
            long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            for (Node node : nodes) {
                long left = openDeadline - System.nanoTime();
                try {
                    node.firstLease.get(Math.max(1, left), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                    // counted below
                }
            }
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            long open = nodes.stream().filter(Node::open).count();
            System.out.printf(
                    "streams: %d of %d open over %d connections in %.1f s; first lease after opening p50 %.1f ms,"
                            + " p99 %.1f ms%n",
                    open,
                    nodes.size(),
                    connections,
                    openSeconds,
                    stats.connect.millisAt(50),
                    stats.connect.millisAt(99));

            for (int i = 0; i < nodes.size(); i++) {
                long offset = periodMillis * 1000 * i / nodes.size();
                beats.scheduleAtFixedRate(nodes.get(i)::heartbeat, offset, periodMillis * 1000, TimeUnit.MICROSECONDS);
            }
            // One full period so that every node has heartbeated once before anything is measured.
            Thread.sleep(periodMillis);

            if (registryPid > 0) {
                long heapAfter = Heap.liveBytes(registryPid);
                long rssAfter = Heap.rssBytes(registryPid);
                System.out.printf(
                        "node-registry live heap (after full GC): %s before the streams, %s with %d streams: %.1f KB"
                                + " per stream; RSS %s -> %s%n",
                        Heap.mb(heapBefore),
                        Heap.mb(heapAfter),
                        open,
                        open == 0 ? 0 : (heapAfter - heapBefore) / 1024.0 / open,
                        Heap.mb(rssBefore),
                        Heap.mb(rssAfter));
            }
            if (gatewayPid > 0) {
                long gatewayAfter = Heap.liveBytes(gatewayPid);
                System.out.printf(
                        "gateway live heap (after full GC): %s before, %s with %d streams: %.1f KB per stream%n",
                        Heap.mb(gatewayBefore),
                        Heap.mb(gatewayAfter),
                        open,
                        open == 0 ? 0 : (gatewayAfter - gatewayBefore) / 1024.0 / open);
            }
            // A few seconds for the full collections above to settle before measuring.
            Thread.sleep(Math.min(periodMillis, 5_000));

            stats.startMeasuring();
            long measureStart = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            double measured = (System.nanoTime() - measureStart) / 1e9;
            Recorder.Snapshot leases = stats.stopMeasuring();
            System.out.printf(
                    "over %.0f s: %.0f heartbeats/s, %.0f leases/s; heartbeat -> LeaseGranted p50 %.1f ms, p99 %.1f ms,"
                            + " max %.1f ms; heartbeats sent before the previous lease came back: %d%n",
                    measured,
                    stats.heartbeats.sum() / measured,
                    leases.count() / measured,
                    leases.millisAt(50),
                    leases.millisAt(99),
                    leases.millisAt(100),
                    stats.late.sum());
            System.out.println(
                    "streams open now: " + nodes.stream().filter(Node::open).count() + " of " + nodes.size());

            // Revocation and removal under load: the rest of the fleet keeps heartbeating.
            var tokens = Account.as(TokenServiceGrpc.newBlockingStub(setup), owner.session);
            for (int v = 0; v < victims; v++) {
                Node victim = nodes.get(n + v);
                victim.expectDisconnect();
                long sent = System.nanoTime();
                tokens.revokeToken(RevokeTokenRequest.newBuilder()
                        .setRef(victimTokens.get(v).getToken().getId())
                        .build());
                report("token revoked", victim, sent, System.nanoTime());
            }
            var nodeService = Account.as(NodeServiceGrpc.newBlockingStub(setup), pat);
            for (int v = 0; v < Math.min(victims, n); v++) {
                Node victim = nodes.get(v);
                victim.expectDisconnect();
                long sent = System.nanoTime();
                nodeService.removeNode(RemoveNodeRequest.newBuilder()
                        .setProject(victim.registered.project())
                        .setNode(victim.registered.id())
                        .build());
                report("node removed", victim, sent, System.nanoTime());
            }
            System.out.println("unexpected disconnects: " + stats.disconnects + "; stream errors: " + stats.errors
                    + "; streams open at the end: "
                    + nodes.stream().filter(Node::open).count() + " of "
                    + nodes.size() + " (" + 2 * victims + " disconnected on purpose)");
        } finally {
            beats.shutdownNow();
            nodes.forEach(Node::close);
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private static void report(String what, Node victim, long sent, long returned) throws Exception {
        try {
            ControlMessage got = victim.disconnect.get(30, TimeUnit.SECONDS);
            long at = victim.disconnectedAt.get();
            System.out.printf(
                    "%s -> Disconnect{%s} after %.1f ms from the call's return (%.1f ms from sending it)%n",
                    what, got.getDisconnect().getReason(), (at - returned) / 1e6, (at - sent) / 1e6);
        } catch (TimeoutException e) {
            System.out.println(what + ": no Disconnect within 30 s");
        } catch (java.util.concurrent.ExecutionException e) {
            System.out.println(what + ": the stream ended without a Disconnect: " + e.getCause());
        }
    }

    static RegisterNodeRequest request(String project, String machineId, String hostname) {
        return RegisterNodeRequest.newBuilder()
                .setProject(project)
                .setMachineId(machineId)
                .setHostname(hostname)
                .putLabels("bench", "nodes")
                .setResources(Resources.newBuilder().setCpus(8).setMemoryBytes(32L << 30))
                .build();
    }

    private static List<Registered> registerFleet(
            ManagedChannel channel, Account owner, String pat, int n, int perProject) throws Exception {
        List<String> projects = new ArrayList<>();
        for (int p = 0; p * perProject < n; p++) {
            projects.add(owner.project(pat, "fleet-" + p));
        }
        Registered[] fleet = new Registered[n];
        Recorder latencies = new Recorder(n);
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(Integer.getInteger("register.concurrency", 16));
        var stub = Account.as(NodeAgentServiceGrpc.newFutureStub(channel), pat);
        String run = Long.toString(System.currentTimeMillis(), 36);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            int index = i;
            String project = projects.get(i / perProject);
            long sent = System.nanoTime();
            Futures.addCallback(
                    stub.registerNode(request(project, "bench-" + run + "-" + i, "bench-" + i)),
                    new FutureCallback<>() {
                        @Override
                        public void onSuccess(RegisterNodeResponse r) {
                            latencies.record(System.nanoTime() - sent);
                            fleet[index] = new Registered(project, r.getNode().getId(), r.getNodeCredential());
                            inFlight.release();
                        }

                        @Override
                        public void onFailure(Throwable t) {
                            failures.computeIfAbsent(describe(t), k -> new AtomicInteger())
                                    .incrementAndGet();
                            inFlight.release();
                        }
                    },
                    MoreExecutors.directExecutor());
        }
        inFlight.acquire(Integer.getInteger("register.concurrency", 16));
        double elapsed = (System.nanoTime() - start) / 1e9;
        Recorder.Snapshot s = latencies.snapshot();
        System.out.printf(
                "registered %d nodes in %d projects in %.1f s: %.0f/s, p50 %.1f ms, p99 %.1f ms; failures %s%n",
                s.count(), projects.size(), elapsed, s.count() / elapsed, s.millisAt(50), s.millisAt(99), failures);
        return Arrays.stream(fleet).filter(java.util.Objects::nonNull).toList();
    }

    private static List<Registered> read(Path file, int n) throws Exception {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file);
        return lines.stream()
                .skip(1)
                .map(l -> l.split(" "))
                .filter(f -> f.length == 3)
                .map(f -> new Registered(f[0], f[1], f[2]))
                .limit(n)
                .toList();
    }

    private static void write(Path file, String pat, List<Registered> fleet) throws Exception {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder text = new StringBuilder(pat).append('\n');
        fleet.forEach(r -> text.append(r.project())
                .append(' ')
                .append(r.id())
                .append(' ')
                .append(r.credential())
                .append('\n'));
        Files.writeString(file, text);
    }

    static String describe(Throwable t) {
        Status s = Status.fromThrowable(t);
        String message = s.getDescription() == null ? "" : s.getDescription();
        return s.getCode() + " " + message.substring(0, Math.min(80, message.length()));
    }

    /** Counts and latencies shared by every node. */
    static final class Stats {
        final Recorder connect = new Recorder(1 << 16);
        final LongAdder heartbeats = new LongAdder();
        final LongAdder late = new LongAdder();
        final Map<String, AtomicInteger> disconnects = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        private volatile Recorder leases;

        void startMeasuring() {
            heartbeats.reset();
            late.reset();
            leases = new Recorder(4_000_000);
        }

        Recorder.Snapshot stopMeasuring() {
            Recorder r = leases;
            leases = null;
            return r.snapshot();
        }

        void lease(long nanos) {
            Recorder r = leases;
            if (r != null) {
                r.record(nanos);
            }
        }
    }

    /** Latencies up to a capacity, recorded from any thread. */
    static final class Recorder {
        private final long[] nanos;
        private final AtomicLong count = new AtomicLong();

        Recorder(int capacity) {
            nanos = new long[capacity];
        }

        void record(long value) {
            long i = count.getAndIncrement();
            if (i < nanos.length) {
                nanos[(int) i] = value;
            }
        }

        double millisAt(double percentile) {
            return snapshot().millisAt(percentile);
        }

        Snapshot snapshot() {
            long c = count.get();
            long[] sorted = Arrays.copyOf(nanos, (int) Math.min(c, nanos.length));
            Arrays.sort(sorted);
            return new Snapshot(c, sorted);
        }

        record Snapshot(long count, long[] sorted) {
            double millisAt(double percentile) {
                if (sorted.length == 0) {
                    return 0;
                }
                int i = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
                return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
            }
        }
    }

    /** One execution node: its Connect stream and its heartbeats. */
    static final class Node implements ClientResponseObserver<NodeMessage, ControlMessage> {
        final Registered registered;
        final CompletableFuture<Long> firstLease = new CompletableFuture<>();
        final CompletableFuture<ControlMessage> disconnect = new CompletableFuture<>();
        final AtomicLong disconnectedAt = new AtomicLong();
        private final Stats stats;
        private final Semaphore opening;
        private ClientCallStreamObserver<NodeMessage> out;
        private volatile long openedAt;
        /** When the heartbeat awaiting its lease was sent; 0 when none awaits. */
        private volatile long sentAt;

        private volatile boolean ended;
        private volatile boolean expected;

        Node(Registered registered, Stats stats, Semaphore opening) {
            this.registered = registered;
            this.stats = stats;
            this.opening = opening;
        }

        void open(ManagedChannel channel) {
            openedAt = System.nanoTime();
            Account.as(NodeAgentServiceGrpc.newStub(channel), registered.credential())
                    .connect(this);
            // Heartbeat at once: the first lease then answers a heartbeat, as every later one does.
            // (The call reaches node-registry without it: the gateway forwards a stream's headers on arrival.)
            synchronized (this) {
                out.onNext(HEARTBEAT);
            }
        }

        boolean open() {
            return firstLease.isDone() && !firstLease.isCompletedExceptionally() && !ended;
        }

        void expectDisconnect() {
            expected = true;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<NodeMessage> requestStream) {
            out = requestStream;
        }

        @Override
        public void onNext(ControlMessage message) {
            long now = System.nanoTime();
            if (message.hasLease()) {
                if (firstLease.complete(now)) {
                    stats.connect.record(now - openedAt);
                    opening.release();
                }
                long sent = sentAt;
                if (sent != 0) {
                    sentAt = 0;
                    stats.lease(now - sent);
                }
            } else if (message.hasDisconnect()) {
                disconnectedAt.set(now);
                disconnect.complete(message);
                if (!expected) {
                    stats.disconnects
                            .computeIfAbsent(message.getDisconnect().getReason(), k -> new AtomicInteger())
                            .incrementAndGet();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            ended = true;
            if (firstLease.completeExceptionally(t)) {
                opening.release();
            }
            disconnect.completeExceptionally(t);
            if (!expected) {
                stats.errors
                        .computeIfAbsent(describe(t), k -> new AtomicInteger())
                        .incrementAndGet();
            }
        }

        @Override
        public void onCompleted() {
            ended = true;
            if (firstLease.completeExceptionally(new IllegalStateException("closed before a lease"))) {
                opening.release();
            }
            disconnect.completeExceptionally(new IllegalStateException("closed without a Disconnect"));
        }

        synchronized void heartbeat() {
            if (ended || out == null) {
                return;
            }
            if (sentAt != 0) {
                stats.late.increment();
            }
            sentAt = System.nanoTime();
            out.onNext(HEARTBEAT);
            stats.heartbeats.increment();
        }

        synchronized void close() {
            if (!ended && out != null) {
                ended = true;
                out.cancel("benchmark over", null);
            }
        }
    }
}
