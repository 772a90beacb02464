package dev.autolab.auth.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.auth.v1.WatchRevocationsRequest;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A LISTEN connection that goes quiet without failing (a half-open socket) must not keep telling
 * watchers "live": once no ping has come back for three heartbeats, the streams end, so that watchers
 * fall back to their short TTL; and the listener reconnects.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class SilentChannelTest {
    @Inject
    RevocationListener listener;

    /** Opens a stream and returns the queue of what happens on it: messages, then an end status. */
    private static LinkedBlockingQueue<Object> watch(ManagedChannel channel, Context.CancellableContext context) {
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        context.run(() -> InternalAuthServiceGrpc.newStub(channel)
                .watchRevocations(
                        WatchRevocationsRequest.newBuilder()
                                .setWatcher("silence-test")
                                .build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(Revocations value) {
                                events.add(value);
                            }

                            @Override
                            public void onError(Throwable t) {
                                events.add(Status.fromThrowable(t));
                            }

                            @Override
                            public void onCompleted() {
                                events.add(Status.OK);
                            }
                        }));
        return events;
    }

    private static Status endOf(LinkedBlockingQueue<Object> events, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Object e = events.poll(10, TimeUnit.MILLISECONDS);
            if (e instanceof Status s) {
                return s;
            }
        }
        return null;
    }

    @Test
    void aSilentChannelEndsTheStreamsAndComesBack() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .build();
        Context.CancellableContext first = Context.current().withCancellation();
        try {
            LinkedBlockingQueue<Object> events = watch(channel, first);
            assertEquals(Revocations.getDefaultInstance(), events.poll(10, TimeUnit.SECONDS), "live");
            // A real ping may land between the two lines below and make the channel look alive again;
            // then the next round tries again (the listener's own timer keeps running meanwhile).
            Status end = null;
            for (int round = 0; round < 20 && end == null; round++) {
                listener.lastHeardNanos =
                        System.nanoTime() - Duration.ofMinutes(1).toNanos();
                listener.tick();
                end = endOf(events, Duration.ofMillis(250));
            }
            assertNotNull(end, "the stream of a deaf replica ends");
            assertEquals(Status.Code.UNAVAILABLE, end.getCode());

            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (true) {
                Context.CancellableContext again = Context.current().withCancellation();
                try {
                    LinkedBlockingQueue<Object> next = watch(channel, again);
                    Object firstMessage = next.poll(5, TimeUnit.SECONDS);
                    if (firstMessage instanceof Revocations r) {
                        assertEquals(Revocations.getDefaultInstance(), r, "reconnected and live again");
                        return;
                    }
                } finally {
                    again.cancel(null);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the listener did not come back within 15 s");
                }
            }
        } finally {
            first.cancel(null);
            channel.shutdownNow();
        }
    }
}
