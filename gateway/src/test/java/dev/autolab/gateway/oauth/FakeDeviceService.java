package dev.autolab.gateway.oauth;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import com.google.rpc.ErrorInfo;

import dev.autolab.proto.auth.v1.DescribeDeviceRequest;
import dev.autolab.proto.auth.v1.DeviceCodeRequest;
import dev.autolab.proto.auth.v1.DeviceCodeResponse;
import dev.autolab.proto.auth.v1.DeviceRequestInfo;
import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.PollDeviceTokenRequest;
import dev.autolab.proto.auth.v1.PollDeviceTokenResponse;
import dev.autolab.proto.auth.v1.Token;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * auth-service's DeviceService as the OAuth endpoints see it: a real gRPC server whose answers follow
 * the device code or client id asked with (each RFC 8628 refusal with its ErrorInfo reason, as
 * auth-service sends them), and which keeps what it was sent so a test can tell what crossed the gateway.
 */
public class FakeDeviceService implements QuarkusTestResourceLifecycleManager {
    static final String TOKEN = "al_fakeLoginToken000000000000000000000";
    static final AtomicInteger CALLS = new AtomicInteger();
    static final AtomicReference<DeviceCodeRequest> LAST_CODE_REQUEST = new AtomicReference<>();
    static final AtomicReference<PollDeviceTokenRequest> LAST_POLL = new AtomicReference<>();
    static final AtomicReference<Metadata> LAST_METADATA = new AtomicReference<>();
    private static final Metadata.Key<String> FORWARDED_FOR =
            Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private Server server;

    @Override
    public Map<String, String> start() {
        ServerInterceptor counting = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                CALLS.incrementAndGet();
                LAST_METADATA.set(headers);
                return Contexts.interceptCall(io.grpc.Context.current(), call, headers, next);
            }
        };
        try {
            server = ServerBuilder.forPort(0)
                    .addService(ServerInterceptors.intercept(new Devices(), counting))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "autolab.gateway.auth-service", "localhost:" + server.getPort(),
                "autolab.gateway.keys-service", "localhost:1",
                "autolab.gateway.node-registry", "localhost:1");
    }

    @Override
    public void stop() {
        server.shutdownNow();
    }

    static String lastForwardedFor() {
        return LAST_METADATA.get().get(FORWARDED_FOR);
    }

    static String lastAuthorization() {
        return LAST_METADATA.get().get(AUTHORIZATION);
    }

    /** A refusal as auth-service makes it: the message starts with the reason, ErrorInfo carries it. */
    private static RuntimeException rfc(Status.Code code, String reason, String message) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code.value())
                .setMessage(reason + ": " + message)
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setReason(reason)
                        .setDomain("autolab.dev")
                        .build()))
                .build());
    }

    private static boolean registered(String clientId) {
        return clientId.isEmpty() || clientId.equals("autolab-cli") || clientId.equals("test-editor");
    }

    static final class Devices extends DeviceServiceGrpc.DeviceServiceImplBase {
        @Override
        public void requestDeviceCode(DeviceCodeRequest request, StreamObserver<DeviceCodeResponse> response) {
            LAST_CODE_REQUEST.set(request);
            if (request.getClientId().equals("flooder")) {
                response.onError(Status.RESOURCE_EXHAUSTED
                        .withDescription("too many sign-in requests from this address; try again in 2 s")
                        .asRuntimeException());
                return;
            }
            if (!registered(request.getClientId())) {
                response.onError(rfc(
                        Status.Code.INVALID_ARGUMENT,
                        "invalid_client",
                        "no client \"" + request.getClientId() + "\" is registered with this Autolab"));
                return;
            }
            if (request.getClientName().contains("!")) {
                response.onError(Status.INVALID_ARGUMENT
                        .withDescription("\"" + request.getClientName() + "\" is not a valid client name")
                        .asRuntimeException());
                return;
            }
            response.onNext(DeviceCodeResponse.newBuilder()
                    .setDeviceCode("dc-secret")
                    .setUserCode("ABCD-EFGH")
                    .setVerificationUri("http://localhost:8080/device")
                    .setVerificationUriComplete("http://localhost:8080/device?code=ABCD-EFGH")
                    .setExpiresIn(600)
                    .setInterval(5)
                    .build());
            response.onCompleted();
        }

        @Override
        public void pollDeviceToken(PollDeviceTokenRequest request, StreamObserver<PollDeviceTokenResponse> response) {
            LAST_POLL.set(request);
            if (!registered(request.getClientId())) {
                response.onError(rfc(Status.Code.INVALID_ARGUMENT, "invalid_client", "no such client"));
                return;
            }
            switch (request.getDeviceCode()) {
                case "pending" ->
                    response.onError(rfc(
                            Status.Code.FAILED_PRECONDITION,
                            "authorization_pending",
                            "waiting for the sign-in to be approved in the browser"));
                case "fast" ->
                    response.onError(rfc(
                            Status.Code.FAILED_PRECONDITION,
                            "slow_down",
                            "polling too fast; wait 5 s more between polls"));
                case "denied" ->
                    response.onError(rfc(
                            Status.Code.PERMISSION_DENIED, "access_denied", "the sign-in was denied in the browser"));
                case "expired" ->
                    response.onError(rfc(
                            Status.Code.FAILED_PRECONDITION,
                            "expired_token",
                            "the sign-in request expired before it was approved; run `autolab login` again"));
                case "down" ->
                    response.onError(Status.UNAVAILABLE
                            .withDescription(
                                    "auth-service cannot reach its database right now; try again in a few" + " seconds")
                            .asRuntimeException());
                case "approved", "approved-expiring" -> {
                    Token.Builder token = Token.newBuilder()
                            .setName("login@gpu-box")
                            .setCreatedAt(Timestamp.newBuilder().setSeconds(1_800_000_000L));
                    if (request.getDeviceCode().equals("approved-expiring")) {
                        token.setExpiresAt(Timestamp.newBuilder().setSeconds(1_800_000_000L + 86_400));
                    }
                    response.onNext(PollDeviceTokenResponse.newBuilder()
                            .setAccessToken(TOKEN)
                            .setHandle("alice")
                            .setToken(token)
                            .build());
                    response.onCompleted();
                }
                default ->
                    response.onError(rfc(
                            Status.Code.INVALID_ARGUMENT,
                            "invalid_grant",
                            "unknown device code; start again with `autolab login`"));
            }
        }

        @Override
        public void describeDevice(DescribeDeviceRequest request, StreamObserver<DeviceRequestInfo> response) {
            response.onNext(DeviceRequestInfo.newBuilder()
                    .setUserCode(request.getUserCode())
                    .setClientName("gpu-box")
                    .setClientId("test-editor")
                    .setClientDisplayName("Test <Editor>")
                    .setClientAddress("198.51.100.23")
                    .setSignedInAs("alice")
                    .build());
            response.onCompleted();
        }
    }
}
