package dev.autolab.auth;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.ProjectServiceGrpc;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/** A real gRPC client of the running auth-service, and the accounts tests act as. */
final class Api {
    static final String PASSWORD = "correct horse battery";
    private static ManagedChannel channel;
    private static int channelPort;

    private Api() {}

    static synchronized ManagedChannel channel() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        if (channel == null || channelPort != port) {
            if (channel != null) {
                channel.shutdownNow();
            }
            channel = ManagedChannelBuilder.forAddress("localhost", port)
                    .usePlaintext()
                    .build();
            channelPort = port;
        }
        return channel;
    }

    static <S extends AbstractStub<S>> S as(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** The stub as the gateway would call it for a client at {@code address} (loopback is a trusted proxy). */
    static <S extends AbstractStub<S>> S from(S stub, String address) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), address);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** An address no other test uses, so that per-address counters start at zero. */
    static String uniqueAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198.51." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }

    static UserServiceGrpc.UserServiceBlockingStub users() {
        return UserServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    static UserServiceGrpc.UserServiceBlockingStub users(String token) {
        return as(UserServiceGrpc.newBlockingStub(channel()), token);
    }

    static SessionServiceGrpc.SessionServiceBlockingStub sessions() {
        return SessionServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    static TokenServiceGrpc.TokenServiceBlockingStub tokens(String token) {
        return as(TokenServiceGrpc.newBlockingStub(channel()), token);
    }

    static TokenServiceGrpc.TokenServiceBlockingStub tokensAnonymous() {
        return TokenServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    static ProjectServiceGrpc.ProjectServiceBlockingStub projects(String token) {
        return as(ProjectServiceGrpc.newBlockingStub(channel()), token);
    }

    static DeviceServiceGrpc.DeviceServiceBlockingStub devices() {
        return DeviceServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    static DeviceServiceGrpc.DeviceServiceBlockingStub devices(String token) {
        return as(DeviceServiceGrpc.newBlockingStub(channel()), token);
    }

    static InternalAuthServiceGrpc.InternalAuthServiceBlockingStub internal() {
        return InternalAuthServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** A new user with a personal access token. */
    record Account(String handle, String token) {}

    static String uniqueHandle(String base) {
        return base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    }

    static Account signUp(String base) {
        String handle = uniqueHandle(base);
        users().createUser(CreateUserRequest.newBuilder()
                .setHandle(handle)
                .setPassword(PASSWORD)
                .setEmail(handle + "@example.org")
                .build());
        String session = sessions()
                .createSession(CreateSessionRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(PASSWORD)
                        .build())
                .getToken();
        String pat = tokens(session)
                .createToken(CreateTokenRequest.newBuilder().setName("test").build())
                .getSecret();
        return new Account(handle, pat);
    }

    static String sessionOf(String handle) {
        return sessions()
                .createSession(CreateSessionRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(PASSWORD)
                        .build())
                .getToken();
    }

    /** What a call answered, or the status it was refused with. */
    record Outcome<T>(T value, Status refusal) {}

    static <T> Outcome<T> outcome(java.util.function.Supplier<T> call) {
        try {
            return new Outcome<>(call.get(), null);
        } catch (StatusRuntimeException e) {
            return new Outcome<>(null, e.getStatus());
        }
    }

    /** The status a call was refused with; fails the test when the call succeeded. */
    static Status refusal(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        throw new AssertionError("the call succeeded but should have been refused");
    }
}
