package dev.autolab.gateway.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.LeaseGranted;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;

/**
 * node-registry goes away under an open stream, then stays away: the node's stream ends UNAVAILABLE
 * naming it, and a new stream (which sends nothing) is UNAVAILABLE naming it too, never a hang.
 */
@QuarkusTest
@io.quarkus.test.common.WithTestResource(StreamUpstreamGoneTest.Registry.class)
class StreamUpstreamGoneTest {
    @Test
    void aServiceThatDropsOrIsDownEndsTheStreamUnavailableByName() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .build();
        try {
            Node open = new Node();
            NodeAgentServiceGrpc.newStub(channel).connect(open);
            assertTrue(open.leased.await(10, TimeUnit.SECONDS), "the stream never reached node-registry");

            Registry.SERVER.get().shutdownNow();
            Status dropped = Status.fromThrowable(open.ended.get(20, TimeUnit.SECONDS));
            assertEquals(Status.Code.UNAVAILABLE, dropped.getCode(), String.valueOf(dropped));
            assertEquals("node-registry closed the call", dropped.getDescription());

            Node later = new Node();
            NodeAgentServiceGrpc.newStub(channel).connect(later);
            Status down = Status.fromThrowable(later.ended.get(20, TimeUnit.SECONDS));
            assertEquals(Status.Code.UNAVAILABLE, down.getCode(), String.valueOf(down));
            assertEquals("node-registry is unavailable; try again shortly", down.getDescription());
        } finally {
            channel.shutdownNow();
        }
    }

    /** A Connect stream that sends nothing. */
    private static final class Node implements StreamObserver<ControlMessage> {
        final CountDownLatch leased = new CountDownLatch(1);
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();

        @Override
        public void onNext(ControlMessage value) {
            leased.countDown();
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(t);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }
    }

    /** node-registry's place: leases each Connect on arrival, until the test stops it. */
    public static class Registry implements QuarkusTestResourceLifecycleManager {
        static final AtomicReference<Server> SERVER = new AtomicReference<>();

        @Override
        public Map<String, String> start() {
            try {
                SERVER.set(ServerBuilder.forPort(0)
                        .addService(new NodeAgentServiceGrpc.NodeAgentServiceImplBase() {
                            @Override
                            public StreamObserver<NodeMessage> connect(StreamObserver<ControlMessage> out) {
                                out.onNext(ControlMessage.newBuilder()
                                        .setLease(LeaseGranted.getDefaultInstance())
                                        .build());
                                return new StreamObserver<>() {
                                    @Override
                                    public void onNext(NodeMessage message) {}

                                    @Override
                                    public void onError(Throwable t) {}

                                    @Override
                                    public void onCompleted() {
                                        out.onCompleted();
                                    }
                                };
                            }
                        })
                        .build()
                        .start());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of(
                    "autolab.gateway.node-registry", "localhost:" + SERVER.get().getPort(),
                    "autolab.gateway.auth-service", "localhost:1",
                    "autolab.gateway.keys-service", "localhost:1");
        }

        @Override
        public void stop() {
            SERVER.get().shutdownNow();
        }
    }
}
