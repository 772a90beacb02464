package dev.autolab.gateway.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Many long-lived Connect streams on ONE client connection (what an ingress in front of the gateway
 * sends): every one is admitted and answered at once. With Vert.x's default of 100 concurrent streams
 * per connection, the client would hold stream 101 and later waiting for a free slot, and they would
 * never get a lease while the first hundred stay open.
 */
@QuarkusTest
@WithTestResource(FakeNodeAgent.class)
class ManyStreamsTest {
    private static final int STREAMS = 1200;

    @Test
    void moreThanAThousandStreamsOnOneConnectionAreAllAnswered() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .build();
        int before = FakeNodeAgent.OPEN_STREAMS.get();
        CountDownLatch leased = new CountDownLatch(STREAMS);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        List<StreamObserver<NodeMessage>> nodes = new ArrayList<>();
        try {
            NodeAgentServiceGrpc.NodeAgentServiceStub stub = NodeAgentServiceGrpc.newStub(channel);
            for (int i = 0; i < STREAMS; i++) {
                StreamObserver<NodeMessage> node = stub.connect(new StreamObserver<>() {
                    private boolean first = true;

                    @Override
                    public void onNext(ControlMessage value) {
                        if (value.hasLease() && first) {
                            first = false;
                            leased.countDown();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, t);
                    }

                    @Override
                    public void onCompleted() {}
                });
                node.onNext(NodeMessage.newBuilder()
                        .setHeartbeat(Heartbeat.getDefaultInstance())
                        .build());
                nodes.add(node);
            }
            assertTrue(
                    leased.await(60, TimeUnit.SECONDS),
                    (STREAMS - leased.getCount()) + " of " + STREAMS + " streams got a lease; errors " + failed.get()
                            + " " + firstError.get());
            assertEquals(0, failed.get(), String.valueOf(firstError.get()));
            // All open at the same time, each its own upstream stream.
            assertTrue(
                    FakeNodeAgent.OPEN_STREAMS.get() - before >= STREAMS,
                    "open upstream: " + (FakeNodeAgent.OPEN_STREAMS.get() - before));
        } finally {
            nodes.forEach(StreamObserver::onCompleted);
            channel.shutdown().awaitTermination(10, TimeUnit.SECONDS);
            channel.shutdownNow();
        }
    }
}
