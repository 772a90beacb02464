package dev.autolab.auth;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.auth.v1.WatchRevocationsRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** A WatchRevocations stream as another service would open it (no credential), read by the test. */
final class Watch implements AutoCloseable {
    private final LinkedBlockingQueue<Revocations> messages = new LinkedBlockingQueue<>();
    private volatile Status end;
    private final Context.CancellableContext context = Context.current().withCancellation();

    Watch() {
        context.run(() -> InternalAuthServiceGrpc.newStub(Api.channel())
                .watchRevocations(
                        WatchRevocationsRequest.newBuilder().setWatcher("test").build(), new StreamObserver<>() {
                            @Override
                            public void onNext(Revocations value) {
                                messages.add(value);
                            }

                            @Override
                            public void onError(Throwable t) {
                                end = Status.fromThrowable(t);
                            }

                            @Override
                            public void onCompleted() {
                                end = Status.OK;
                            }
                        }));
    }

    /** The first message: empty, the stream is live. */
    Revocations first() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    Revocations next(Duration deadline) throws InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            Revocations m = messages.poll(10, TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
            if (end != null && messages.isEmpty()) {
                throw new AssertionError("the stream ended: " + end);
            }
        }
        throw new AssertionError("no message within " + deadline.toMillis() + " ms");
    }

    /** The ids of the next message that has any (heartbeats are empty). */
    List<String> nextIds(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            Revocations m = next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            if (m.getTokenIdsCount() > 0) {
                return m.getTokenIdsList();
            }
        }
    }

    /**
     * The messages up to the one naming every id of {@code ids}, merged into one: ids in the order they
     * came, and their reasons. A revocation and its cascade may come as one message or several.
     */
    Revocations until(java.util.Collection<String> ids, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        Revocations.Builder merged = Revocations.newBuilder();
        while (!merged.getTokenIdsList().containsAll(ids)) {
            Revocations m = next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            merged.addAllTokenIds(m.getTokenIdsList()).putAllReasons(m.getReasonsMap());
        }
        return merged.build();
    }

    Status end() {
        return end;
    }

    @Override
    public void close() {
        context.cancel(null);
    }
}
