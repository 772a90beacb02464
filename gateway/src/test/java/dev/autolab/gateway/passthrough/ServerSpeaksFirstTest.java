package dev.autolab.gateway.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeNodeAgent;
import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A streaming call reaches its service as soon as it arrives, before the client sends anything:
 * node-registry answers Connect with a lease first, and a node that waits for it must get it.
 * The client's cancellation reaches the service, and the service's status and trailers come back.
 */
@QuarkusTest
@WithTestResource(FakeNodeAgent.class)
class ServerSpeaksFirstTest {
    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        FakeNodeAgent.EAGER_ENDED.set(new CompletableFuture<>());
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer eager");
        channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .build();
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    /** A Connect stream that sends nothing and records what comes back. */
    private static final class Node implements ClientResponseObserver<NodeMessage, ControlMessage> {
        final CountDownLatch leased = new CountDownLatch(1);
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        final AtomicReference<ClientCallStreamObserver<NodeMessage>> call = new AtomicReference<>();

        @Override
        public void beforeStart(ClientCallStreamObserver<NodeMessage> requestStream) {
            call.set(requestStream);
        }

        @Override
        public void onNext(ControlMessage value) {
            if (value.hasLease()) {
                leased.countDown();
            }
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

    @Test
    void theServiceAnswersBeforeTheClientSendsAnythingAndItsStatusAndTrailersComeBack() throws Exception {
        Node node = new Node();
        NodeAgentServiceGrpc.newStub(channel).connect(node);
        assertTrue(
                node.leased.await(10, TimeUnit.SECONDS),
                "the service's first message never arrived: the call did not reach it before a client message");

        node.call.get().onCompleted();
        Throwable ended = node.ended.get(10, TimeUnit.SECONDS);
        Status status = Status.fromThrowable(ended);
        assertEquals(Status.Code.FAILED_PRECONDITION, status.getCode());
        assertEquals("eager stream closed: 100% done", status.getDescription());
        assertEquals("goodbye", Status.trailersFromThrowable(ended).get(FakeNodeAgent.EAGER_TRAILER));
        assertEquals(
                Status.Code.OK,
                FakeNodeAgent.EAGER_ENDED.get().get(10, TimeUnit.SECONDS).getCode());
    }

    @Test
    void aStreamTheServiceRefusesAtOnceGetsItsStatus() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer refused");
        ManagedChannel refused = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .build();
        try {
            Node node = new Node();
            NodeAgentServiceGrpc.newStub(refused).connect(node);
            node.call.get().onNext(NodeMessage.getDefaultInstance());
            Status status = Status.fromThrowable(node.ended.get(10, TimeUnit.SECONDS));
            assertEquals(Status.Code.UNAUTHENTICATED, status.getCode(), String.valueOf(status));
            assertEquals("this node credential was replaced", status.getDescription());
        } finally {
            refused.shutdownNow();
        }
    }

    @Test
    void aClientThatCancelsCancelsTheUpstreamCall() throws Exception {
        Node node = new Node();
        NodeAgentServiceGrpc.newStub(channel).connect(node);
        assertTrue(node.leased.await(10, TimeUnit.SECONDS), "the service's first message never arrived");

        node.call.get().cancel("node shutting down", null);
        Status upstream = FakeNodeAgent.EAGER_ENDED.get().get(10, TimeUnit.SECONDS);
        assertEquals(Status.Code.CANCELLED, upstream.getCode(), String.valueOf(upstream));
        // Only that stream ended: the client's connection still carries calls.
        assertEquals(
                "aln_registered",
                NodeAgentServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .registerNode(RegisterNodeRequest.newBuilder()
                                .setProject("alice/nanochat")
                                .build())
                        .getNodeCredential());
    }
}
