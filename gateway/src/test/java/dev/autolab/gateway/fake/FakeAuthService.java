package dev.autolab.gateway.fake;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;

import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.DeleteSessionRequest;
import dev.autolab.proto.auth.v1.DescribeDeviceRequest;
import dev.autolab.proto.auth.v1.DeviceRequestInfo;
import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.Principal;
import dev.autolab.proto.auth.v1.Session;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.User;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import dev.autolab.proto.auth.v1.WhoAmIResponse;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real gRPC server in auth-service's place that counts every call it receives by method and
 * keeps the metadata of the last one, so a test can tell what crossed the gateway and what did not.
 * Its answers carry what it saw (the forwarded address, the credential) back to the test.
 */
public class FakeAuthService implements QuarkusTestResourceLifecycleManager {
    /** The session every successful CreateSession returns. */
    public static final String SESSION = "als_fakesession";

    public static final String KNOWN_CODE = "ABCD-EFGH";
    public static final String REPLACING_CODE = "WXYZ-WXYZ";
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static final AtomicReference<Metadata> LAST = new AtomicReference<>(new Metadata());
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> FORWARDED_FOR =
            Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
    private static Server server;
    private static int port;

    @Override
    public Map<String, String> start() {
        try {
            server = build(0);
            port = server.getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "autolab.gateway.auth-service",
                "localhost:" + port,
                "autolab.gateway.node-registry",
                "localhost:1",
                "autolab.gateway.keys-service",
                "localhost:1");
    }

    @Override
    public void stop() {
        server.shutdownNow();
    }

    /** Stops answering, as a crashed auth-service would. */
    public static synchronized void down() throws InterruptedException {
        server.shutdownNow().awaitTermination();
    }

    /** Starts again on the same port. */
    public static synchronized void up() throws IOException {
        if (server.isShutdown()) {
            server = build(port);
        }
    }

    public static int calls(String fullMethodName) {
        AtomicInteger n = CALLS.get(fullMethodName);
        return n == null ? 0 : n.get();
    }

    public static String lastAuthorization() {
        return LAST.get().get(AUTHORIZATION);
    }

    public static String lastForwardedFor() {
        return LAST.get().get(FORWARDED_FOR);
    }

    private static Server build(int onPort) throws IOException {
        ServerInterceptor counting = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                CALLS.computeIfAbsent(call.getMethodDescriptor().getFullMethodName(), k -> new AtomicInteger())
                        .incrementAndGet();
                LAST.set(headers);
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                        next.startCall(call, headers)) {};
            }
        };
        return ServerBuilder.forPort(onPort)
                .addService(ServerInterceptors.intercept(new Internal(), counting))
                .addService(ServerInterceptors.intercept(new Users(), counting))
                .addService(ServerInterceptors.intercept(new Sessions(), counting))
                .addService(ServerInterceptors.intercept(new Devices(), counting))
                .build()
                .start();
    }

    static final class Internal extends InternalAuthServiceGrpc.InternalAuthServiceImplBase {
        @Override
        public void validateToken(ValidateTokenRequest request, StreamObserver<Principal> response) {
            response.onNext(Principal.newBuilder()
                    .setHandle("alice")
                    .setTokenName("secret-name")
                    .build());
            response.onCompleted();
        }
    }

    static final class Users extends UserServiceGrpc.UserServiceImplBase {
        /** Answers with the address it was told the caller has, as the user's display name. */
        @Override
        public void whoAmI(WhoAmIRequest request, StreamObserver<WhoAmIResponse> response) {
            response.onNext(WhoAmIResponse.newBuilder()
                    .setUser(User.newBuilder().setHandle("alice").setDisplayName(String.valueOf(lastForwardedFor())))
                    .build());
            response.onCompleted();
        }
    }

    static final class Sessions extends SessionServiceGrpc.SessionServiceImplBase {
        @Override
        public void createSession(CreateSessionRequest request, StreamObserver<Session> response) {
            if (!request.getPassword().equals("right password")) {
                response.onError(Status.UNAUTHENTICATED
                        .withDescription("wrong handle or password")
                        .asRuntimeException());
                return;
            }
            response.onNext(Session.newBuilder()
                    .setToken(SESSION)
                    .setExpiresAt(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000 + 3600))
                    .setUser(User.newBuilder().setHandle(request.getHandle()))
                    .build());
            response.onCompleted();
        }

        @Override
        public void deleteSession(DeleteSessionRequest request, StreamObserver<Empty> response) {
            response.onNext(Empty.getDefaultInstance());
            response.onCompleted();
        }
    }

    static final class Devices extends DeviceServiceGrpc.DeviceServiceImplBase {
        @Override
        public void describeDevice(DescribeDeviceRequest request, StreamObserver<DeviceRequestInfo> response) {
            String code = request.getUserCode();
            if (!code.equals(KNOWN_CODE) && !code.equals(REPLACING_CODE)) {
                response.onError(Status.NOT_FOUND
                        .withDescription("no pending sign-in has code " + code + "; check the code your terminal shows")
                        .asRuntimeException());
                return;
            }
            response.onNext(DeviceRequestInfo.newBuilder()
                    .setUserCode(code)
                    .setClientName("build-box-7")
                    .setClientAddress("198.51.100.23")
                    .setRequestedAt(Timestamp.newBuilder().setSeconds(1_800_000_000L))
                    .setExpiresAt(Timestamp.newBuilder().setSeconds(1_800_000_600L))
                    .setSignedInAs("alice")
                    .setReplacesLiveLogin(code.equals(REPLACING_CODE))
                    .build());
            response.onCompleted();
        }
    }
}
