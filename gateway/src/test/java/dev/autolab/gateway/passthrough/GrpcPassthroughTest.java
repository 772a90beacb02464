package dev.autolab.gateway.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.Heartbeat;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeNodeRegistry.class)
class GrpcPassthroughTest {
    private ManagedChannel channel;

    @BeforeEach
    void connectToTheGateway() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer aln_test");
        // A client's own claim about its address must not reach the services.
        headers.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), "203.0.113.9");
        channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .build();
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    @Test
    void aBidiStreamCrossesTheGatewayBothWaysWithMetadataAndStatus() throws Exception {
        List<ControlMessage> received = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<NodeMessage> node = NodeAgentServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(ControlMessage value) {
                received.add(value);
            }

            @Override
            public void onError(Throwable t) {
                ended.set(t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        for (int i = 0; i < 3; i++) {
            node.onNext(NodeMessage.newBuilder()
                    .setHeartbeat(Heartbeat.getDefaultInstance())
                    .build());
        }
        node.onCompleted();
        assertTrue(done.await(10, TimeUnit.SECONDS), "stream did not end");
        assertEquals(4, received.size(), received.toString());
        assertEquals(3, received.get(2).getLease().getExpiresAt().getSeconds());
        assertEquals(
                "bye Bearer aln_test from 127.0.0.1",
                received.get(3).getDisconnect().getMessage());
        Status status = Status.fromThrowable(ended.get());
        assertEquals(Status.Code.FAILED_PRECONDITION, status.getCode());
        assertEquals("closed after 3 heartbeats", status.getDescription());
    }

    @Test
    void unaryErrorsKeepTheirCodeAndMessage() {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> NodeAgentServiceGrpc.newBlockingStub(channel)
                        .registerNode(RegisterNodeRequest.newBuilder()
                                .setProject("alice/nanochat")
                                .build()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertEquals(
                "registering needs researcher on alice/nanochat", e.getStatus().getDescription());
    }

    @Test
    void aServiceThatIsDownIsUnavailableByName() {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> UserServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .whoAmI(WhoAmIRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(
                e.getStatus().getDescription().contains("auth-service"),
                e.getStatus().getDescription());
    }
}
