package dev.autolab.bench;

import java.util.concurrent.ThreadLocalRandom;

import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.Principal;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/**
 * Uncached ValidateToken against a running auth-service (each call is a database lookup there):
 * a closed loop of {@code concurrency} outstanding calls for {@code seconds}, after a warm-up.
 * Usage: {@code ValidateTokenLoad HOST:PORT [concurrency=8] [seconds=20]} ({@code -Dwarmup=15} seconds first).
 * Needs sign-up open.
 */
public final class ValidateTokenLoad {
    private static final int WARMUP_SECONDS = Integer.getInteger("warmup", 15);

    private ValidateTokenLoad() {}

    public static void main(String[] args) throws Exception {
        String target = args.length > 0 ? args[0] : "localhost:9101";
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        ManagedChannel channel =
                ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        String token = mintToken(channel);
        var stub = InternalAuthServiceGrpc.newStub(channel);
        ValidateTokenRequest request =
                ValidateTokenRequest.newBuilder().setToken(token).build();

        ClosedLoopLoad.Result r = ClosedLoopLoad.<Principal>measure(
                observer -> stub.validateToken(request, observer), concurrency, WARMUP_SECONDS, seconds);
        System.out.printf(
                "uncached ValidateToken: %d calls in %.1f s = %.0f calls/s, concurrency %d%n",
                r.calls(), r.seconds(), r.perSecond(), concurrency);
        System.out.printf(
                "latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                r.millisAt(50), r.millisAt(90), r.millisAt(99), r.millisAt(99.9), r.maxMillis());
        channel.shutdownNow();
    }

    private static String mintToken(ManagedChannel channel) {
        String handle = "bench-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        String password = "benchmark password";
        UserServiceGrpc.newBlockingStub(channel)
                .createUser(CreateUserRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(password)
                        .setEmail(handle + "@example.org")
                        .build());
        String session = SessionServiceGrpc.newBlockingStub(channel)
                .createSession(CreateSessionRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(password)
                        .build())
                .getToken();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + session);
        return TokenServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .createToken(CreateTokenRequest.newBuilder().setName("bench").build())
                .getSecret();
    }
}
