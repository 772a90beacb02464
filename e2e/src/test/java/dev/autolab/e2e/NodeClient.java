package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.Disconnect;
import dev.autolab.proto.nodes.v1.Heartbeat;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import dev.autolab.proto.nodes.v1.Resources;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;

/** An execution node as grpc-java code, speaking native gRPC to the suite's gateway (one address). */
final class NodeClient implements AutoCloseable {
    private final ManagedChannel channel;

    NodeClient() {
        URI gateway = URI.create(Suite.url());
        channel = ManagedChannelBuilder.forAddress(gateway.getHost(), gateway.getPort())
                .usePlaintext()
                .build();
    }

    /** A node speaking to one service directly (e.g. one replica of node-registry), not the gateway. */
    NodeClient(ManagedChannel channel) {
        this.channel = channel;
    }

    ManagedChannel channel() {
        return channel;
    }

    static <S extends AbstractStub<S>> S as(S stub, String credential) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + credential);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    RegisterNodeResponse register(String token, String project, String machineId, String hostname) {
        return as(NodeAgentServiceGrpc.newBlockingStub(channel), token)
                .registerNode(RegisterNodeRequest.newBuilder()
                        .setProject(project)
                        .setMachineId(machineId)
                        .setHostname(hostname)
                        .putLabels("zone", "e2e")
                        .setResources(Resources.newBuilder().setCpus(4).setMemoryBytes(8L << 30))
                        .build());
    }

    /** Asserts that registering is refused with {@code code} and a message containing each of {@code words}. */
    void refused(Status.Code code, String token, String project, String... words) {
        StatusRuntimeException e =
                assertThrows(StatusRuntimeException.class, () -> register(token, project, "m-refused", "refused"));
        assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus()));
        for (String word : words) {
            assertTrue(
                    String.valueOf(e.getStatus().getDescription()).contains(word),
                    "\"" + word + "\" not in " + e.getStatus());
        }
    }

    /**
     * Opens Connect and heartbeats at once, so the stream has a heartbeat's lease to show without waiting
     * for an interval. The call itself reaches node-registry before any message: the gateway forwards a
     * stream's headers as soon as it arrives (its {@code ServerSpeaksFirstTest}).
     */
    Stream connect(String credential) {
        Stream stream = new Stream();
        as(NodeAgentServiceGrpc.newStub(channel), credential).withDeadline(null).connect(stream);
        stream.heartbeat();
        return stream;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    /** A node's Connect stream: what the registry sent, in order, and how it ended. */
    static final class Stream implements ClientResponseObserver<NodeMessage, ControlMessage> {
        private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private ClientCallStreamObserver<NodeMessage> out;

        @Override
        public void beforeStart(ClientCallStreamObserver<NodeMessage> requestStream) {
            out = requestStream;
        }

        synchronized void heartbeat() {
            out.onNext(NodeMessage.newBuilder()
                    .setHeartbeat(Heartbeat.getDefaultInstance())
                    .build());
        }

        synchronized void close() {
            out.cancel("test over", null);
        }

        @Override
        public void onNext(ControlMessage value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            received.add(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            received.add(Status.OK);
        }

        /** The next thing that happened on the stream: a ControlMessage, or the Status it ended with. */
        Object next(Duration within) throws InterruptedException {
            Object got = received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (got == null) {
                throw new AssertionError("nothing on the stream within " + within);
            }
            return got;
        }

        ControlMessage lease(Duration within) throws InterruptedException {
            Object got = next(within);
            assertTrue(got instanceof ControlMessage m && m.hasLease(), "expected a lease, got " + got);
            return (ControlMessage) got;
        }

        /** Skips leases until a Disconnect arrives, then checks that the stream ends (OK) right after it. */
        Disconnect disconnect(Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (true) {
                Object got = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (got instanceof ControlMessage m && m.hasLease()) {
                    continue;
                }
                assertTrue(got instanceof ControlMessage m && m.hasDisconnect(), "expected a Disconnect, got " + got);
                Object end = next(Duration.ofSeconds(10));
                assertTrue(end instanceof Status s && s.isOk(), "the stream goes on after a Disconnect: " + end);
                return ((ControlMessage) got).getDisconnect();
            }
        }
    }
}
