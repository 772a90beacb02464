package dev.autolab.gateway.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.MintNodeCredentialRequest;
import dev.autolab.proto.auth.v1.RevokeNodeCredentialsRequest;
import dev.autolab.proto.keys.v1.KeyResolutionServiceGrpc;
import dev.autolab.proto.keys.v1.RecordUsageRequest;
import dev.autolab.proto.keys.v1.RecordUsageResponse;
import dev.autolab.proto.keys.v1.ResolveProjectKeyRequest;
import dev.autolab.proto.keys.v1.ResolvedKey;
import dev.autolab.proto.nodes.v1.ListNodesRequest;
import dev.autolab.proto.nodes.v1.ListNodesResponse;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeServiceGrpc;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The gateway passes node traffic, and only that: a node's calls (NodeAgentService,
 * KeyResolutionService) and people's NodeService reach their services, while the credential-minting
 * RPCs of InternalAuthService are refused at the edge and never reach auth-service, whatever
 * credential the caller holds.
 */
@QuarkusTest
@WithTestResource(NodeTrafficTest.Upstreams.class)
class NodeTrafficTest {
    private static final String INTERNAL_MESSAGE = "autolab.auth.v1.InternalAuthService is internal to the Autolab"
            + " services and not reachable through the gateway";
    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        Metadata headers = new Metadata();
        // A well-formed PAT: what a node-registry impersonator would hold.
        headers.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer al_012345678901234567890123456789abcdef");
        channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .build();
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    private static int internalCalls() {
        return InternalAuthServiceGrpc.getServiceDescriptor().getMethods().stream()
                .mapToInt(m -> Upstreams.calls(m.getFullMethodName()))
                .sum();
    }

    private void assertRefusedAtTheEdge(String fullMethodName, Runnable call) {
        int before = Upstreams.calls(fullMethodName);
        int internalBefore = internalCalls();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertEquals(INTERNAL_MESSAGE, e.getStatus().getDescription());
        assertEquals(before, Upstreams.calls(fullMethodName), fullMethodName + " reached auth-service");
        assertEquals(internalBefore, internalCalls(), "an InternalAuthService call reached auth-service");
    }

    private static <T> T counted(String fullMethodName, Supplier<T> call) {
        int before = Upstreams.calls(fullMethodName);
        T answer = call.get();
        assertEquals(before + 1, Upstreams.calls(fullMethodName), fullMethodName + " did not reach its service");
        return answer;
    }

    @Test
    void mintNodeCredentialIsRefusedAtTheEdgeAndNeverReachesAuthService() {
        assertRefusedAtTheEdge(
                InternalAuthServiceGrpc.getMintNodeCredentialMethod().getFullMethodName(),
                () -> InternalAuthServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .mintNodeCredential(MintNodeCredentialRequest.newBuilder()
                                .setToken("al_012345678901234567890123456789abcdef")
                                .setProject("alice/nanochat")
                                .setNodeId("3f2b8c1e-5d4a-4f7e-9c2b-1a2b3c4d5e6f")
                                .setHostname("evil")
                                .build()));
    }

    @Test
    void revokeNodeCredentialsIsRefusedAtTheEdgeAndNeverReachesAuthService() {
        assertRefusedAtTheEdge(
                InternalAuthServiceGrpc.getRevokeNodeCredentialsMethod().getFullMethodName(),
                () -> InternalAuthServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .revokeNodeCredentials(RevokeNodeCredentialsRequest.newBuilder()
                                .setNodeId("3f2b8c1e-5d4a-4f7e-9c2b-1a2b3c4d5e6f")
                                .build()));
    }

    @Test
    void aNodeResolvesAndReportsThroughTheGateway() {
        ResolvedKey key = counted(
                KeyResolutionServiceGrpc.getResolveProjectKeyMethod().getFullMethodName(),
                () -> KeyResolutionServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .resolveProjectKey(ResolveProjectKeyRequest.getDefaultInstance()));
        assertEquals(ResolvedKey.getDefaultInstance(), key);
        RecordUsageResponse usage = counted(
                KeyResolutionServiceGrpc.getRecordUsageMethod().getFullMethodName(),
                () -> KeyResolutionServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .recordUsage(RecordUsageRequest.getDefaultInstance()));
        assertEquals(RecordUsageResponse.getDefaultInstance(), usage);
    }

    @Test
    void nodesRegisterAndPeopleListNodesThroughTheGateway() {
        RegisterNodeResponse registered = counted(
                NodeAgentServiceGrpc.getRegisterNodeMethod().getFullMethodName(),
                () -> NodeAgentServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .registerNode(RegisterNodeRequest.getDefaultInstance()));
        assertEquals(RegisterNodeResponse.getDefaultInstance(), registered);
        ListNodesResponse listed = counted(
                NodeServiceGrpc.getListNodesMethod().getFullMethodName(),
                () -> NodeServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .listNodes(ListNodesRequest.getDefaultInstance()));
        assertEquals(ListNodesResponse.getDefaultInstance(), listed);
    }

    /**
     * One real gRPC server in the place of auth-service, keys-service and node-registry, counting
     * every call that reaches it by method. Its InternalAuthService implements nothing: a call
     * that got there would be counted (and answered UNIMPLEMENTED).
     */
    public static class Upstreams implements QuarkusTestResourceLifecycleManager {
        private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
        private Server server;

        static int calls(String fullMethodName) {
            AtomicInteger n = CALLS.get(fullMethodName);
            return n == null ? 0 : n.get();
        }

        @Override
        public Map<String, String> start() {
            ServerInterceptor counting = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(
                        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                    CALLS.computeIfAbsent(call.getMethodDescriptor().getFullMethodName(), k -> new AtomicInteger())
                            .incrementAndGet();
                    return next.startCall(call, headers);
                }
            };
            try {
                server = ServerBuilder.forPort(0)
                        .addService(ServerInterceptors.intercept(
                                new InternalAuthServiceGrpc.InternalAuthServiceImplBase() {}, counting))
                        .addService(ServerInterceptors.intercept(new Resolution(), counting))
                        .addService(ServerInterceptors.intercept(new Nodes(), counting))
                        .addService(ServerInterceptors.intercept(new Agent(), counting))
                        .build()
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            String address = "localhost:" + server.getPort();
            return Map.of(
                    "autolab.gateway.auth-service", address,
                    "autolab.gateway.keys-service", address,
                    "autolab.gateway.node-registry", address);
        }

        @Override
        public void stop() {
            server.shutdownNow();
        }
    }

    static final class Resolution extends KeyResolutionServiceGrpc.KeyResolutionServiceImplBase {
        @Override
        public void resolveProjectKey(ResolveProjectKeyRequest request, StreamObserver<ResolvedKey> response) {
            response.onNext(ResolvedKey.getDefaultInstance());
            response.onCompleted();
        }

        @Override
        public void recordUsage(RecordUsageRequest request, StreamObserver<RecordUsageResponse> response) {
            response.onNext(RecordUsageResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    static final class Nodes extends NodeServiceGrpc.NodeServiceImplBase {
        @Override
        public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
            response.onNext(ListNodesResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    static final class Agent extends NodeAgentServiceGrpc.NodeAgentServiceImplBase {
        @Override
        public void registerNode(RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> response) {
            response.onNext(RegisterNodeResponse.getDefaultInstance());
            response.onCompleted();
        }
    }
}
