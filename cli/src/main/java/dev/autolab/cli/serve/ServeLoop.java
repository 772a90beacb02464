package dev.autolab.cli.serve;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.autolab.cli.client.ApiException;
import dev.autolab.cli.command.Sanitize;
import dev.autolab.cli.command.Target;
import dev.autolab.cli.command.Terminal;
import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.Gpu;
import dev.autolab.proto.nodes.v1.Heartbeat;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import dev.autolab.proto.nodes.v1.Resources;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * {@code autolab serve} once the command line is read: register (or take the stored credential),
 * then hold the Connect stream, heartbeating, until stopped or cut off; reconnect with backoff when
 * the connection drops or the lease expired. The only class that touches gRPC, so that no other
 * command loads it.
 */
final class ServeLoop {
    private static final int DEFAULT_HEARTBEAT_SECONDS = 10;
    /** A stream that hears nothing for this many heartbeat intervals is taken for dead (a half-open TCP). */
    private static final int SILENT_INTERVALS = 3;

    private static final NodeMessage HEARTBEAT = NodeMessage.newBuilder()
            .setHeartbeat(Heartbeat.getDefaultInstance())
            .build();

    /** What happens on the stream, in the order the loop handles it. */
    private sealed interface Event {}

    private record Lease(Instant until) implements Event {}

    private record Cut(String reason, String message) implements Event {}

    private record Failed(Status status) implements Event {}

    private record Ended() implements Event {}

    private record Stop() implements Event {}

    /** How one Connect call ended. */
    private sealed interface Outcome {}

    private record Stopped() implements Outcome {}

    private record Disconnected(String reason, String message) implements Outcome {}

    private record Refused(Status status) implements Outcome {}

    private record Dropped(String why) implements Outcome {}

    private final Terminal term;
    private final LocalMachine local;
    private final Target target;
    private final String host;
    private final String project;
    private final String nameOption;
    private final Map<String, String> labels;
    private final NodeStateStore store;
    private final MachineProbe probe;
    private final Backoff backoff;
    private final CountDownLatch finished = new CountDownLatch(1);
    // Kept so that the quieted loggers are not collected with their level.
    private final List<Logger> quiet = List.of(Logger.getLogger("io.grpc"), Logger.getLogger("io.netty"));

    private volatile boolean stopRequested;
    /** Past registration: from here on a signal stops the loop cleanly. */
    private volatile boolean inConnectLoop;

    private volatile BlockingQueue<Event> events;
    private volatile int exitCode = -1;

    ServeLoop(
            Terminal term, LocalMachine local, Target target, String project, String name, Map<String, String> labels) {
        this.term = term;
        this.local = local;
        this.target = target;
        this.host = target.host();
        this.project = project;
        this.nameOption = name;
        this.labels = new TreeMap<>(labels);
        this.store = NodeStateStore.fromEnvironment(term.environment());
        this.probe = new MachineProbe(local.root(), term.environment());
        this.backoff = new Backoff(local.random());
    }

    int run() throws Exception {
        quiet.forEach(l -> l.setLevel(Level.SEVERE));
        ManagedChannel channel = NodeChannel.open(host);
        try (AutoCloseable signals = local.signals().onStop(this::onSignal)) {
            exitCode = serve(channel);
            return exitCode;
        } finally {
            finished.countDown();
            channel.shutdownNow();
        }
    }

    /** SIGINT or SIGTERM: stop cleanly if connected (exit 0), else let the JVM end as it does. */
    private int onSignal() {
        if (!inConnectLoop) {
            return -1;
        }
        stopRequested = true;
        BlockingQueue<Event> current = events;
        if (current != null) {
            current.offer(new Stop());
        }
        try {
            return finished.await(5, TimeUnit.SECONDS) ? exitCode : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private BlockingQueue<Event> newQueue() {
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        events = queue;
        if (stopRequested) {
            queue.offer(new Stop());
        }
        return queue;
    }

    private boolean tokenAvailable() {
        return target.tokenFromEnvironment() || (target.stored() != null && target.stored().token != null);
    }

    private int serve(ManagedChannel channel) throws InterruptedException {
        String name = nameOption != null ? nameOption : probe.hostname();
        StoredNode node = store.load(host, project);
        boolean fromFile = node != null;
        if (node != null && !node.describes(name, labels)) {
            if (tokenAvailable()) {
                term.say("The name or labels given differ from those node " + Sanitize.line(node.nodeId)
                        + " registered with; registering it again.");
                node = null;
                fromFile = false;
            } else {
                term.say("note: no token to register again with, so the node keeps the name and labels it "
                        + "registered with");
            }
        }
        if (node == null) {
            node = register(channel, name);
        } else {
            term.say("Node " + Sanitize.line(node.nodeId) + " (" + Sanitize.line(node.name) + ") of "
                    + Sanitize.line(project) + ": connecting with its stored credential.");
        }
        inConnectLoop = true;
        return connectLoop(channel, node, fromFile);
    }

    private StoredNode register(ManagedChannel channel, String name) {
        String token = target.token();
        Hardware hardware = probe.hardware();
        Resources.Builder resources =
                Resources.newBuilder().setCpus(hardware.cpus()).setMemoryBytes(hardware.memoryBytes());
        hardware.gpus()
                .forEach(g ->
                        resources.addGpus(Gpu.newBuilder().setModel(g.model()).setMemoryBytes(g.memoryBytes())));
        RegisterNodeRequest request = RegisterNodeRequest.newBuilder()
                .setProject(project)
                .setMachineId(probe.machineId(store::generatedMachineId))
                .setHostname(name)
                .putAllLabels(labels)
                .setResources(resources)
                .build();
        RegisterNodeResponse response;
        try {
            response = NodeAgentServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(NodeChannel.bearer(token))
                    .withDeadlineAfter(NodeChannel.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .registerNode(request);
        } catch (StatusRuntimeException e) {
            throw NodeChannel.failure(e, host);
        }
        StoredNode node = new StoredNode();
        node.host = host;
        node.project = project;
        node.nodeId = response.getNode().getId();
        node.name = name;
        node.labels = new TreeMap<>(labels);
        node.credential = response.getNodeCredential();
        node.heartbeatIntervalSeconds = response.getHeartbeatIntervalSeconds();
        store.save(node);
        term.say("Registered node " + Sanitize.line(node.nodeId) + " (" + Sanitize.line(name) + ") with "
                + Sanitize.line(project) + "; its credential is in " + store.fileFor(host, project) + ".");
        return node;
    }

    private int connectLoop(ManagedChannel channel, StoredNode node, boolean fromFile) throws InterruptedException {
        int failures = 0;
        StatusLine status = statusFor(node);
        while (true) {
            SessionResult result = session(channel, node, status);
            if (result.wasOnline()) {
                failures = 0;
            }
            Outcome outcome = result.outcome();
            String why;
            if (outcome instanceof Stopped) {
                return stopped(status);
            } else if (outcome instanceof Disconnected d) {
                if (!DisconnectReason.LEASE_EXPIRED.equals(d.reason())) {
                    status.end();
                    // The credential is dead: keeping it would only make the next start fail.
                    store.forget(host, project, node.credential);
                    term.say("error: " + DisconnectReason.explain(d.reason(), d.message(), project));
                    return 1;
                }
                why = "the lease expired";
            } else if (outcome instanceof Refused r) {
                status.end();
                if (r.status().getCode() != Status.Code.UNAUTHENTICATED) {
                    throw NodeChannel.failure(r.status().asRuntimeException(), host);
                }
                store.forget(host, project, node.credential);
                String said = Sanitize.line(r.status().getDescription());
                if (!fromFile || !tokenAvailable()) {
                    throw new ApiException(
                            0,
                            Status.Code.UNAUTHENTICATED.value(),
                            host + " refused this node's credential (" + said + "); log in with `autolab login` (or "
                                    + "set " + Target.TOKEN_VARIABLE + ") and run `autolab serve` again",
                            "");
                }
                term.say("The stored node credential was refused (" + said + "); registering again.");
                node = register(channel, node.name);
                fromFile = false;
                status = statusFor(node);
                continue;
            } else {
                why = ((Dropped) outcome).why();
            }
            Duration delay = backoff.delay(failures++);
            status.offline(why, delay);
            if (local.pacing().backoff(newQueue(), delay) instanceof Stop) {
                return stopped(status);
            }
            // The channel keeps its own, longer, reconnect backoff: ours decides when to try.
            channel.resetConnectBackoff();
        }
    }

    private StatusLine statusFor(StoredNode node) {
        return new StatusLine(term, local.clock(), local.interactive(), local.unicode(), project, node.nodeId);
    }

    private int stopped(StatusLine status) {
        status.end();
        term.say("disconnected");
        return 0;
    }

    private record SessionResult(Outcome outcome, boolean wasOnline) {}

    /** One Connect call, from opening to its end. */
    private SessionResult session(ManagedChannel channel, StoredNode node, StatusLine status)
            throws InterruptedException {
        BlockingQueue<Event> queue = newQueue();
        Clock clock = local.clock();
        Duration interval = Duration.ofSeconds(
                node.heartbeatIntervalSeconds > 0 ? node.heartbeatIntervalSeconds : DEFAULT_HEARTBEAT_SECONDS);
        Duration silenceLimit = interval.multipliedBy(SILENT_INTERVALS);
        status.connecting();
        ClientCallStreamObserver<NodeMessage> requests =
                (ClientCallStreamObserver<NodeMessage>) NodeAgentServiceGrpc.newStub(channel)
                        .withInterceptors(NodeChannel.bearer(node.credential))
                        .connect(new ClientResponseObserver<NodeMessage, ControlMessage>() {
                            @Override
                            public void beforeStart(ClientCallStreamObserver<NodeMessage> stream) {}

                            @Override
                            public void onNext(ControlMessage message) {
                                switch (message.getKindCase()) {
                                    case LEASE ->
                                        queue.offer(new Lease(Instant.ofEpochSecond(
                                                message.getLease()
                                                        .getExpiresAt()
                                                        .getSeconds(),
                                                message.getLease()
                                                        .getExpiresAt()
                                                        .getNanos())));
                                    case DISCONNECT ->
                                        queue.offer(new Cut(
                                                message.getDisconnect().getReason(),
                                                message.getDisconnect().getMessage()));
                                    default -> {
                                        // A message this CLI does not know yet: nothing to do.
                                    }
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                queue.offer(new Failed(Status.fromThrowable(t)));
                            }

                            @Override
                            public void onCompleted() {
                                queue.offer(new Ended());
                            }
                        });
        Instant nextBeat = clock.instant().plus(interval);
        Instant lastHeard = clock.instant();
        boolean online = false;
        try {
            while (true) {
                Event event = local.pacing().next(queue, Duration.between(clock.instant(), nextBeat));
                if (event == null) {
                    if (Duration.between(lastHeard, clock.instant()).compareTo(silenceLimit) > 0) {
                        return new SessionResult(
                                new Dropped("no answer from " + host + " for " + silenceLimit.toSeconds() + " s"),
                                online);
                    }
                    requests.onNext(HEARTBEAT);
                    nextBeat = clock.instant().plus(interval);
                    continue;
                }
                if (event instanceof Lease lease) {
                    online = true;
                    lastHeard = clock.instant();
                    status.online(lease.until());
                } else if (event instanceof Cut cut) {
                    return new SessionResult(new Disconnected(cut.reason(), cut.message()), online);
                } else if (event instanceof Failed failed) {
                    return new SessionResult(classify(failed.status()), online);
                } else if (event instanceof Ended) {
                    return new SessionResult(new Dropped(host + " closed the connection"), online);
                } else {
                    halfClose(requests, queue);
                    return new SessionResult(new Stopped(), online);
                }
            }
        } finally {
            // A no-op when the call already ended; otherwise nothing more is read from it.
            requests.cancel("autolab serve is done with this stream", null);
        }
    }

    /** Says "no more heartbeats" and gives the registry up to 2 s to close its side. */
    private void halfClose(ClientCallStreamObserver<NodeMessage> requests, BlockingQueue<Event> queue)
            throws InterruptedException {
        requests.onCompleted();
        for (int i = 0; i < 20; i++) {
            Event event = local.pacing().next(queue, Duration.ofMillis(100));
            if (event instanceof Ended || event instanceof Failed || event instanceof Cut) {
                return;
            }
        }
    }

    /** Failures worth retrying are drops; the others end {@code serve}. */
    private Outcome classify(Status status) {
        return switch (status.getCode()) {
            case UNAUTHENTICATED,
                    PERMISSION_DENIED,
                    NOT_FOUND,
                    INVALID_ARGUMENT,
                    FAILED_PRECONDITION,
                    UNIMPLEMENTED,
                    OUT_OF_RANGE -> new Refused(status);
            case UNAVAILABLE ->
                new Dropped(
                        status.getCause() != null
                                ? NodeChannel.unreachable(status.getCause(), host)
                                        .replaceFirst(";.*", "")
                                : "unavailable: " + Sanitize.line(status.getDescription()));
            default ->
                new Dropped("connection lost: " + status.getCode()
                        + (status.getDescription() == null ? "" : " " + Sanitize.line(status.getDescription())));
        };
    }
}
