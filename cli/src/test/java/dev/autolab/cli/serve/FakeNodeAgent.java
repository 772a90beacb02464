package dev.autolab.cli.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.Timestamp;

import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.Disconnect;
import dev.autolab.proto.nodes.v1.LeaseGranted;
import dev.autolab.proto.nodes.v1.Node;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * A stand-in for node-registry behind the gateway: a real gRPC server (grpc-netty, cleartext
 * HTTP/2 on a free loopback port) that records what {@code serve} sends and lets a test decide
 * what the registry answers and when it cuts a stream.
 */
final class FakeNodeAgent implements AutoCloseable {
    static final String NODE_ID = "1a2b3c4d-5e6f-4a0b-8c0d-0e0f10111213";
    static final Instant LEASE_UNTIL = Instant.parse("2026-11-29T14:03:10Z");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> CALLER = Context.key("authorization");

    final List<RegisterNodeRequest> registrations = new CopyOnWriteArrayList<>();
    final List<String> registrationAuth = new CopyOnWriteArrayList<>();
    final List<String> minted = new CopyOnWriteArrayList<>();
    final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
    /** Each Connect takes the next refusal, if any, instead of opening a stream. */
    final Queue<Status> connectRefusals = new ConcurrentLinkedQueue<>();

    final List<String> refusedAuth = new CopyOnWriteArrayList<>();

    volatile Status registrationRefusal;
    volatile int heartbeatSeconds = 10;
    private final Server server;

    /** One Connect call as the registry sees it. */
    static final class Stream {
        final String auth;
        final AtomicInteger heartbeats = new AtomicInteger();
        final CountDownLatch halfClosed = new CountDownLatch(1);
        private final StreamObserver<ControlMessage> out;
        private boolean closed;

        Stream(String auth, StreamObserver<ControlMessage> out) {
            this.auth = auth;
            this.out = out;
        }

        synchronized void lease() {
            if (!closed) {
                out.onNext(ControlMessage.newBuilder()
                        .setLease(LeaseGranted.newBuilder()
                                .setExpiresAt(Timestamp.newBuilder().setSeconds(LEASE_UNTIL.getEpochSecond())))
                        .build());
            }
        }

        synchronized void disconnect(String reason, String message) {
            out.onNext(ControlMessage.newBuilder()
                    .setDisconnect(Disconnect.newBuilder().setReason(reason).setMessage(message))
                    .build());
            close();
        }

        synchronized void fail(Status status) {
            if (!closed) {
                closed = true;
                out.onError(status.asRuntimeException());
            }
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                out.onCompleted();
            }
        }

        boolean halfClosed() throws InterruptedException {
            return halfClosed.await(10, TimeUnit.SECONDS);
        }
    }

    FakeNodeAgent() throws IOException {
        NodeAgentServiceGrpc.NodeAgentServiceImplBase service = new NodeAgentServiceGrpc.NodeAgentServiceImplBase() {
            @Override
            public void registerNode(RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> answer) {
                registrations.add(request);
                registrationAuth.add(CALLER.get());
                Status refusal = registrationRefusal;
                if (refusal != null) {
                    answer.onError(refusal.asRuntimeException());
                    return;
                }
                String credential = "aln_fake" + (minted.size() + 1);
                minted.add(credential);
                answer.onNext(RegisterNodeResponse.newBuilder()
                        .setNode(Node.newBuilder()
                                .setId(NODE_ID)
                                .setProject(request.getProject())
                                .setHostname(request.getHostname()))
                        .setNodeCredential(credential)
                        .setHeartbeatIntervalSeconds(heartbeatSeconds)
                        .build());
                answer.onCompleted();
            }

            @Override
            public StreamObserver<NodeMessage> connect(StreamObserver<ControlMessage> responses) {
                Status refusal = connectRefusals.poll();
                if (refusal != null) {
                    refusedAuth.add(CALLER.get());
                    responses.onError(refusal.asRuntimeException());
                    return new StreamObserver<>() {
                        public void onNext(NodeMessage m) {}

                        public void onError(Throwable t) {}

                        public void onCompleted() {}
                    };
                }
                Stream stream = new Stream(CALLER.get(), responses);
                stream.lease();
                streams.add(stream);
                return new StreamObserver<>() {
                    @Override
                    public void onNext(NodeMessage message) {
                        if (message.hasHeartbeat()) {
                            stream.heartbeats.incrementAndGet();
                            stream.lease();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {
                        stream.halfClosed.countDown();
                        stream.close();
                    }
                };
            }
        };
        ServerInterceptor caller = new ServerInterceptor() {
            @Override
            public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(
                    io.grpc.ServerCall<Q, A> call, Metadata headers, io.grpc.ServerCallHandler<Q, A> next) {
                return Contexts.interceptCall(
                        Context.current().withValue(CALLER, headers.get(AUTHORIZATION)), call, headers, next);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(service, caller))
                .build()
                .start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    Stream nextStream() throws InterruptedException {
        Stream stream = streams.poll(10, TimeUnit.SECONDS);
        if (stream == null) {
            throw new AssertionError("serve did not open a Connect stream within 10 s");
        }
        return stream;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
