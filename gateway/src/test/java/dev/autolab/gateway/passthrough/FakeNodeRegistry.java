package dev.autolab.gateway.passthrough;

import java.io.IOException;
import java.util.Map;

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
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real gRPC server in node-registry's place (that service comes in a later issue): it answers
 * each heartbeat with a lease, then says goodbye naming the credential it received, so a test can
 * see messages, metadata and the final status cross the gateway both ways.
 */
public class FakeNodeRegistry implements QuarkusTestResourceLifecycleManager {
    static final io.grpc.Context.Key<String> AUTHORIZATION = io.grpc.Context.key("authorization");
    static final io.grpc.Context.Key<String> FORWARDED_FOR = io.grpc.Context.key("x-forwarded-for");
    private Server server;

    @Override
    public Map<String, String> start() {
        try {
            server = ServerBuilder.forPort(0)
                    .addService(ServerInterceptors.intercept(new Agent(), new io.grpc.ServerInterceptor() {
                        @Override
                        public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
                                io.grpc.ServerCall<Q, R> call, Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
                            String auth =
                                    headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
                            String from =
                                    headers.get(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER));
                            return Contexts.interceptCall(
                                    io.grpc.Context.current().withValues(AUTHORIZATION, auth, FORWARDED_FOR, from),
                                    call,
                                    headers,
                                    next);
                        }
                    }))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "autolab.gateway.node-registry",
                "localhost:" + server.getPort(),
                "autolab.gateway.auth-service",
                "localhost:1");
    }

    @Override
    public void stop() {
        server.shutdownNow();
    }

    static final class Agent extends NodeAgentServiceGrpc.NodeAgentServiceImplBase {
        @Override
        public void registerNode(RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> response) {
            response.onError(Status.PERMISSION_DENIED
                    .withDescription("registering needs researcher on " + request.getProject())
                    .asRuntimeException());
        }

        @Override
        public StreamObserver<NodeMessage> connect(StreamObserver<ControlMessage> out) {
            String credential = AUTHORIZATION.get();
            String from = FORWARDED_FOR.get();
            return new StreamObserver<>() {
                int heartbeats;

                @Override
                public void onNext(NodeMessage message) {
                    heartbeats++;
                    out.onNext(ControlMessage.newBuilder()
                            .setLease(LeaseGranted.newBuilder()
                                    .setExpiresAt(com.google.protobuf.Timestamp.newBuilder()
                                            .setSeconds(heartbeats)))
                            .build());
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                    out.onNext(ControlMessage.newBuilder()
                            .setDisconnect(Disconnect.newBuilder()
                                    .setReason("node_removed")
                                    .setMessage("bye " + credential + " from " + from))
                            .build());
                    out.onError(Status.FAILED_PRECONDITION
                            .withDescription("closed after " + heartbeats + " heartbeats")
                            .asRuntimeException());
                }
            };
        }
    }
}
