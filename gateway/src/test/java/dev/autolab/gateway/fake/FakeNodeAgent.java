package dev.autolab.gateway.fake;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.Disconnect;
import dev.autolab.proto.nodes.v1.LeaseGranted;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * node-registry's place for stream tests. {@code Connect} with {@code authorization: Bearer flood}
 * sends {@link #FLOOD_MESSAGES} large messages as fast as HTTP/2 flow control lets it (so how far it
 * gets shows how much the path to the client buffers); any other Connect stays open and answers each
 * heartbeat with a lease. RegisterNode answers at once.
 */
public class FakeNodeAgent implements QuarkusTestResourceLifecycleManager {
    public static final int FLOOD_MESSAGES = 512;
    public static final int FLOOD_MESSAGE_BYTES = 64 * 1024;
    public static final AtomicInteger FLOOD_SENT = new AtomicInteger();
    public static final AtomicInteger OPEN_STREAMS = new AtomicInteger();
    /** One permit per Connect that reached this server. */
    public static final java.util.concurrent.Semaphore OPENED = new java.util.concurrent.Semaphore(0);
    /** Counted down when the flood finds the upstream not ready: something downstream stopped reading. */
    public static final AtomicReference<CountDownLatch> FLOOD_BLOCKED = new AtomicReference<>(new CountDownLatch(1));

    public static final AtomicReference<CountDownLatch> FLOOD_ALL_SENT = new AtomicReference<>(new CountDownLatch(1));
    /** The server side of a {@code Bearer sink} Connect, which reads nothing until a test asks it to. */
    public static final AtomicReference<ServerCallStreamObserver<ControlMessage>> SINK = new AtomicReference<>();

    public static final AtomicInteger SINK_RECEIVED = new AtomicInteger();
    /** What a {@code Bearer eager} Connect, which sends a lease before reading anything, ended with. */
    public static final AtomicReference<java.util.concurrent.CompletableFuture<io.grpc.Status>> EAGER_ENDED =
            new AtomicReference<>(new java.util.concurrent.CompletableFuture<>());
    /** The trailer a {@code Bearer eager} Connect closes with, beside its status. */
    public static final Metadata.Key<String> EAGER_TRAILER =
            Metadata.Key.of("x-autolab-eager", Metadata.ASCII_STRING_MARSHALLER);

    private static final io.grpc.Context.Key<String> AUTHORIZATION = io.grpc.Context.key("authorization");
    private Server server;

    public static void reset() {
        FLOOD_SENT.set(0);
        FLOOD_BLOCKED.set(new CountDownLatch(1));
        FLOOD_ALL_SENT.set(new CountDownLatch(1));
    }

    @Override
    public Map<String, String> start() {
        ServerInterceptor credential = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String auth = headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
                if ("Bearer refused".equals(auth)) {
                    // Refused before any message, as an authenticating interceptor does: a trailers-only answer.
                    call.close(
                            io.grpc.Status.UNAUTHENTICATED.withDescription("this node credential was replaced"),
                            new Metadata());
                    return new ServerCall.Listener<>() {};
                }
                return Contexts.interceptCall(
                        io.grpc.Context.current().withValue(AUTHORIZATION, auth), call, headers, next);
            }
        };
        try {
            server = ServerBuilder.forPort(0)
                    .addService(ServerInterceptors.intercept(new Agent(), credential))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "autolab.gateway.node-registry",
                "localhost:" + server.getPort(),
                "autolab.gateway.auth-service",
                "localhost:1",
                "autolab.gateway.keys-service",
                "localhost:1");
    }

    @Override
    public void stop() {
        server.shutdownNow();
    }

    static final class Agent extends NodeAgentServiceGrpc.NodeAgentServiceImplBase {
        /** Speaks first, as node-registry does: a lease before the node has sent anything. */
        private static StreamObserver<NodeMessage> eager(StreamObserver<ControlMessage> out) {
            java.util.concurrent.CompletableFuture<io.grpc.Status> ended = EAGER_ENDED.get();
            out.onNext(ControlMessage.newBuilder()
                    .setLease(LeaseGranted.getDefaultInstance())
                    .build());
            return new StreamObserver<>() {
                @Override
                public void onNext(NodeMessage message) {}

                @Override
                public void onError(Throwable t) {
                    ended.complete(io.grpc.Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    ended.complete(io.grpc.Status.OK);
                    Metadata trailers = new Metadata();
                    trailers.put(EAGER_TRAILER, "goodbye");
                    out.onError(io.grpc.Status.FAILED_PRECONDITION
                            .withDescription("eager stream closed: 100% done")
                            .asRuntimeException(trailers));
                }
            };
        }

        @Override
        public void registerNode(RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> response) {
            response.onNext(RegisterNodeResponse.newBuilder()
                    .setNodeCredential("aln_registered")
                    .build());
            response.onCompleted();
        }

        @Override
        public StreamObserver<NodeMessage> connect(StreamObserver<ControlMessage> out) {
            ServerCallStreamObserver<ControlMessage> stream = (ServerCallStreamObserver<ControlMessage>) out;
            boolean flood = "Bearer flood".equals(AUTHORIZATION.get());
            boolean sink = "Bearer sink".equals(AUTHORIZATION.get());
            if ("Bearer eager".equals(AUTHORIZATION.get())) {
                return eager(out);
            }
            OPEN_STREAMS.incrementAndGet();
            OPENED.release();
            if (sink) {
                stream.disableAutoRequest();
                SINK.set(stream);
            }
            if (flood) {
                ControlMessage big = ControlMessage.newBuilder()
                        .setDisconnect(Disconnect.newBuilder().setMessage("x".repeat(FLOOD_MESSAGE_BYTES)))
                        .build();
                stream.setOnReadyHandler(() -> {
                    while (FLOOD_SENT.get() < FLOOD_MESSAGES) {
                        if (!stream.isReady()) {
                            FLOOD_BLOCKED.get().countDown();
                            return;
                        }
                        stream.onNext(big);
                        if (FLOOD_SENT.incrementAndGet() == FLOOD_MESSAGES) {
                            FLOOD_ALL_SENT.get().countDown();
                            stream.onCompleted();
                        }
                    }
                });
            }
            return new StreamObserver<>() {
                @Override
                public void onNext(NodeMessage message) {
                    if (sink) {
                        SINK_RECEIVED.incrementAndGet();
                    } else if (!flood) {
                        out.onNext(ControlMessage.newBuilder()
                                .setLease(LeaseGranted.getDefaultInstance())
                                .build());
                    }
                }

                @Override
                public void onError(Throwable t) {
                    OPEN_STREAMS.decrementAndGet();
                }

                @Override
                public void onCompleted() {
                    OPEN_STREAMS.decrementAndGet();
                    if (!flood) {
                        if (sink) {
                            out.onNext(ControlMessage.newBuilder()
                                    .setLease(LeaseGranted.getDefaultInstance())
                                    .build());
                        }
                        out.onCompleted();
                    }
                }
            };
        }
    }
}
