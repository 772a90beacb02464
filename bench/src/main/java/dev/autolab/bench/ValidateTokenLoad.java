package dev.autolab.bench;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import io.grpc.stub.StreamObserver;

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

        run(stub, request, concurrency, WARMUP_SECONDS, null);
        long[] latencies = new long[4_000_000];
        AtomicLong count = new AtomicLong();
        long start = System.nanoTime();
        run(stub, request, concurrency, seconds, new Recorder(latencies, count));
        double elapsed = (System.nanoTime() - start) / 1e9;
        int n = (int) Math.min(count.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf(
                "uncached ValidateToken: %d calls in %.1f s = %.0f calls/s, concurrency %d%n",
                count.get(), elapsed, count.get() / elapsed, concurrency);
        System.out.printf(
                "latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9), sorted[n - 1] / 1e6);
        channel.shutdownNow();
    }

    private record Recorder(long[] latencies, AtomicLong count) {
        void record(long nanos) {
            long i = count.getAndIncrement();
            if (i < latencies.length) {
                latencies[(int) i] = nanos;
            }
        }
    }

    private static void run(
            InternalAuthServiceGrpc.InternalAuthServiceStub stub,
            ValidateTokenRequest request,
            int concurrency,
            int seconds,
            Recorder recorder)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            loop(stub, request, deadline, recorder, done);
        }
        done.await();
    }

    private static void loop(
            InternalAuthServiceGrpc.InternalAuthServiceStub stub,
            ValidateTokenRequest request,
            long deadline,
            Recorder recorder,
            CountDownLatch done) {
        long sent = System.nanoTime();
        if (sent > deadline) {
            done.countDown();
            return;
        }
        stub.validateToken(request, new StreamObserver<Principal>() {
            @Override
            public void onNext(Principal value) {
                if (recorder != null) {
                    recorder.record(System.nanoTime() - sent);
                }
            }

            @Override
            public void onError(Throwable t) {
                System.err.println("call failed: " + t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                loop(stub, request, deadline, recorder, done);
            }
        });
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
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
