package dev.autolab.gateway.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeNodeAgent;
import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.Heartbeat;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeNodeAgent.class)
class StreamBackPressureTest {
    private static final NodeMessage HEARTBEAT = NodeMessage.newBuilder()
            .setHeartbeat(Heartbeat.getDefaultInstance())
            .build();

    private static ManagedChannel channel(String credential) {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + credential);
        return ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .build();
    }

    @Test
    void aClientThatDoesNotReadHoldsBackTheUpstreamInsteadOfFillingTheGateway() throws Exception {
        FakeNodeAgent.reset();
        ManagedChannel channel = channel("flood");
        AtomicReference<ClientCallStreamObserver<NodeMessage>> call = new AtomicReference<>();
        AtomicInteger received = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(1);
        try {
            StreamObserver<NodeMessage> node = NodeAgentServiceGrpc.newStub(channel)
                    .connect(new ClientResponseObserver<NodeMessage, ControlMessage>() {
                        @Override
                        public void beforeStart(ClientCallStreamObserver<NodeMessage> requestStream) {
                            call.set(requestStream);
                            requestStream.disableAutoRequestWithInitial(0); // read nothing
                        }

                        @Override
                        public void onNext(ControlMessage value) {
                            received.incrementAndGet();
                        }

                        @Override
                        public void onError(Throwable t) {
                            ended.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            ended.countDown();
                        }
                    });
            node.onNext(HEARTBEAT);
            assertTrue(
                    FakeNodeAgent.FLOOD_BLOCKED.get().await(20, TimeUnit.SECONDS),
                    "the upstream was never held back; sent " + FakeNodeAgent.FLOOD_SENT.get());
            // Held back, and it stays so: without back-pressure the gateway would take all 32 MB into its heap.
            assertFalse(
                    FakeNodeAgent.FLOOD_ALL_SENT.get().await(3, TimeUnit.SECONDS),
                    "the upstream sent everything to a client that reads nothing");
            int buffered = FakeNodeAgent.FLOOD_SENT.get() * FakeNodeAgent.FLOOD_MESSAGE_BYTES;
            assertTrue(buffered < 8 * 1024 * 1024, "in flight with no reader: " + buffered + " bytes");

            // Reading resumes the stream to its end.
            call.get().request(Integer.MAX_VALUE);
            assertTrue(ended.await(30, TimeUnit.SECONDS), "stream did not finish after reading resumed");
            assertEquals(FakeNodeAgent.FLOOD_MESSAGES, received.get());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void anUpstreamThatDoesNotReadHoldsBackTheClient() throws Exception {
        ManagedChannel channel = channel("sink");
        int total = FakeNodeAgent.FLOOD_MESSAGES;
        // A heartbeat padded to FLOOD_MESSAGE_BYTES with an unknown field: the gateway does not decode it.
        NodeMessage padded = NodeMessage.newBuilder(HEARTBEAT)
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                        .addField(
                                99,
                                com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited(com.google.protobuf.ByteString.copyFrom(
                                                new byte[FakeNodeAgent.FLOOD_MESSAGE_BYTES]))
                                        .build())
                        .build())
                .build();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch allSent = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        try {
            NodeAgentServiceGrpc.newStub(channel).connect(new ClientResponseObserver<NodeMessage, ControlMessage>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<NodeMessage> requestStream) {
                    requestStream.setOnReadyHandler(() -> {
                        while (sent.get() < total) {
                            if (!requestStream.isReady()) {
                                blocked.countDown();
                                return;
                            }
                            requestStream.onNext(padded);
                            if (sent.incrementAndGet() == total) {
                                allSent.countDown();
                                requestStream.onCompleted();
                            }
                        }
                    });
                }

                @Override
                public void onNext(ControlMessage value) {}

                @Override
                public void onError(Throwable t) {
                    ended.countDown();
                }

                @Override
                public void onCompleted() {
                    ended.countDown();
                }
            });
            assertTrue(blocked.await(20, TimeUnit.SECONDS), "the client was never held back; sent " + sent.get());
            assertFalse(
                    allSent.await(3, TimeUnit.SECONDS), "the client sent everything to an upstream that reads nothing");
            long inFlight = (long) sent.get() * FakeNodeAgent.FLOOD_MESSAGE_BYTES;
            assertTrue(inFlight < 8L * 1024 * 1024, "in flight with no reader: " + inFlight + " bytes");

            FakeNodeAgent.SINK.get().request(Integer.MAX_VALUE);
            assertTrue(ended.await(30, TimeUnit.SECONDS), "stream did not finish after the upstream read");
            assertEquals(total, FakeNodeAgent.SINK_RECEIVED.get());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void unaryCallsStillGetThroughWhileManyStreamsAreOpen() throws Exception {
        // More streams than the unary pool has slots (connections x multiplexing limit).
        int slots = 2 * Runtime.getRuntime().availableProcessors() * 16;
        int streams = slots + 16;
        ManagedChannel channel = channel("node");
        List<StreamObserver<NodeMessage>> open = new ArrayList<>();
        CountDownLatch leased = new CountDownLatch(streams);
        try {
            FakeNodeAgent.OPENED.drainPermits();
            for (int i = 0; i < streams; i++) {
                StreamObserver<NodeMessage> node = NodeAgentServiceGrpc.newStub(channel)
                        .connect(new StreamObserver<>() {
                            @Override
                            public void onNext(ControlMessage value) {
                                leased.countDown();
                            }

                            @Override
                            public void onError(Throwable t) {}

                            @Override
                            public void onCompleted() {}
                        });
                node.onNext(HEARTBEAT);
                open.add(node);
            }
            // At least as many streams as the unary pool could hold have reached the upstream.
            assertTrue(FakeNodeAgent.OPENED.tryAcquire(slots, 30, TimeUnit.SECONDS), "streams did not open");
            assertEquals(
                    "aln_registered",
                    NodeAgentServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .registerNode(RegisterNodeRequest.newBuilder()
                                    .setProject("alice/nanochat")
                                    .build())
                            .getNodeCredential());
            assertTrue(
                    leased.await(30, TimeUnit.SECONDS),
                    "not every stream got through: " + leased.getCount() + " waiting");
        } finally {
            open.forEach(StreamObserver::onCompleted);
            channel.shutdownNow();
        }
    }
}
