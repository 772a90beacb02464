package dev.autolab.common.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc.MutinyInternalAuthServiceStub;
import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import dev.autolab.proto.auth.v1.WatchRevocationsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/** auth-service's internal API on a real gRPC server, driven by the test: tokens to accept, revocations to push. */
final class FakeAuthService extends InternalAuthServiceGrpc.InternalAuthServiceImplBase implements AutoCloseable {
    final Map<String, Principal> tokens = new ConcurrentHashMap<>();
    final List<StreamObserver<Revocations>> watchers = new CopyOnWriteArrayList<>();
    final AtomicInteger watchCalls = new AtomicInteger();
    final AtomicInteger validateCalls = new AtomicInteger();
    /** When false, a watch call is accepted but never says it is live. */
    volatile boolean announceLive = true;

    private final Server server;
    private final ManagedChannel channel;

    FakeAuthService() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(this)
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .build();
    }

    MutinyInternalAuthServiceStub stub() {
        return MutinyInternalAuthServiceGrpc.newMutinyStub(channel);
    }

    @Override
    public void validateToken(ValidateTokenRequest request, StreamObserver<dev.autolab.proto.auth.v1.Principal> out) {
        validateCalls.incrementAndGet();
        Principal p = tokens.get(request.getToken());
        if (p == null) {
            out.onError(Status.UNAUTHENTICATED.withDescription("unknown token").asRuntimeException());
            return;
        }
        out.onNext(p.toProto());
        out.onCompleted();
    }

    @Override
    public void watchRevocations(WatchRevocationsRequest request, StreamObserver<Revocations> out) {
        watchCalls.incrementAndGet();
        if (announceLive) {
            out.onNext(Revocations.getDefaultInstance());
        }
        watchers.add(out);
    }

    /** Pushes a revocation to every open stream. */
    void revoke(String... tokenIds) {
        tokens.values().removeIf(p -> List.of(tokenIds).contains(p.tokenId()));
        Revocations event =
                Revocations.newBuilder().addAllTokenIds(List.of(tokenIds)).build();
        watchers.forEach(w -> w.onNext(event));
    }

    /** Pushes one message as auth-service builds it for node credentials: ids and their reasons. */
    void revokeWithReasons(java.util.Map<String, String> reasons) {
        tokens.values().removeIf(p -> reasons.containsKey(p.tokenId()));
        Revocations event = Revocations.newBuilder()
                .addAllTokenIds(reasons.keySet())
                .putAllReasons(reasons)
                .build();
        watchers.forEach(w -> w.onNext(event));
    }

    /** Ends every open stream as a restarting auth-service would. */
    void breakStreams() {
        watchers.forEach(
                w -> w.onError(Status.UNAVAILABLE.withDescription("going away").asRuntimeException()));
        watchers.clear();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
