package dev.autolab.nodes.support;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.Heartbeat;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.Resources;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;

/** A node's Connect stream as a test drives it: send heartbeats, take what the registry says, see how it ended. */
public final class NodeStream implements ClientResponseObserver<NodeMessage, ControlMessage>, AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final BlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Status endStatus;
    private volatile ClientCallStreamObserver<NodeMessage> requests;

    public static NodeStream open(String nodeCredential) {
        NodeStream stream = new NodeStream();
        Api.agentAsync(nodeCredential).connect(stream);
        return stream;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<NodeMessage> requestStream) {
        this.requests = requestStream;
    }

    @Override
    public void onNext(ControlMessage message) {
        received.add(message);
    }

    @Override
    public void onError(Throwable t) {
        endStatus = Status.fromThrowable(t);
        ended.countDown();
    }

    @Override
    public void onCompleted() {
        endStatus = Status.OK;
        ended.countDown();
    }

    public void heartbeat() {
        send(NodeMessage.newBuilder()
                .setHeartbeat(Heartbeat.getDefaultInstance())
                .build());
    }

    public void heartbeat(Resources resources) {
        send(NodeMessage.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setResources(resources))
                .build());
    }

    private synchronized void send(NodeMessage message) {
        requests.onNext(message);
    }

    /** The next message from the registry; fails when none comes within 15 s. */
    public ControlMessage next() throws InterruptedException {
        ControlMessage m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no message from node-registry within " + WAIT.toSeconds() + " s");
        }
        return m;
    }

    /** The next message, within {@code limit}. */
    public ControlMessage next(Duration limit) throws InterruptedException {
        ControlMessage m = received.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no message from node-registry within " + limit.toMillis() + " ms");
        }
        return m;
    }

    /** How the stream ended (OK: the registry completed it); fails when it does not end within 15 s. */
    public Status awaitEnd() throws InterruptedException {
        if (!ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the stream did not end within " + WAIT.toSeconds() + " s");
        }
        return endStatus;
    }

    public boolean hasEnded() {
        return ended.getCount() == 0;
    }

    /** The node says goodbye (half-close). */
    public void leave() {
        requests.onCompleted();
    }

    /** The connection drops (the node is killed). */
    public void drop() {
        requests.cancel("test drops the connection", null);
    }

    @Override
    public void close() {
        if (!hasEnded()) {
            drop();
        }
    }

    /** What the stream received so far and has not been taken yet. */
    public int pending() {
        return received.size();
    }

    static <T> StreamObserver<T> ignore() {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {}

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }
}
