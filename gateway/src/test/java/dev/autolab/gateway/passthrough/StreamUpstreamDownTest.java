package dev.autolab.gateway.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A streaming call to a service nobody listens for ends at once with UNAVAILABLE naming the service. */
@QuarkusTest
@WithTestResource(StreamUpstreamDownTest.NothingListens.class)
class StreamUpstreamDownTest {
    @Test
    void aStreamToAServiceThatIsDownIsUnavailableByName() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .build();
        try {
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            // The node sends nothing: the call must still reach (and fail to reach) node-registry.
            NodeAgentServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
                @Override
                public void onNext(ControlMessage value) {}

                @Override
                public void onError(Throwable t) {
                    ended.complete(t);
                }

                @Override
                public void onCompleted() {
                    ended.complete(null);
                }
            });
            Status status = Status.fromThrowable(ended.get(20, TimeUnit.SECONDS));
            assertEquals(Status.Code.UNAVAILABLE, status.getCode());
            assertEquals("node-registry is unavailable; try again shortly", status.getDescription());
        } finally {
            channel.shutdownNow();
        }
    }

    /** node-registry's address is a port that was free a moment ago and that nobody listens on. */
    public static class NothingListens implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            int closed;
            try (ServerSocket socket = new ServerSocket(0)) {
                closed = socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of(
                    "autolab.gateway.node-registry", "localhost:" + closed,
                    "autolab.gateway.auth-service", "localhost:1",
                    "autolab.gateway.keys-service", "localhost:1");
        }

        @Override
        public void stop() {}
    }
}
