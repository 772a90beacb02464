package dev.autolab.auth.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.Revocations;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

class RevocationHubTest {
    private final RevocationHub hub = new RevocationHub(4);

    /** A stream whose transport readiness the test decides. */
    static final class Stream extends ServerCallStreamObserver<Revocations> {
        final List<Revocations> sent = new ArrayList<>();
        boolean ready = true;
        Status closedWith;
        Runnable onReady;
        Runnable onCancel;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setOnReadyHandler(Runnable r) {
            onReady = r;
        }

        @Override
        public void setOnCancelHandler(Runnable r) {
            onCancel = r;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setCompression(String compression) {}

        @Override
        public void disableAutoInboundFlowControl() {}

        @Override
        public void request(int count) {}

        @Override
        public void setMessageCompression(boolean enable) {}

        @Override
        public void onNext(Revocations value) {
            sent.add(value);
        }

        @Override
        public void onError(Throwable t) {
            closedWith = Status.fromThrowable(t);
        }

        @Override
        public void onCompleted() {
            closedWith = Status.OK;
        }

        List<String> ids() {
            return sent.stream().flatMap(r -> r.getTokenIdsList().stream()).toList();
        }
    }

    @Test
    void aWatcherGetsAnEmptyFirstMessageThenEveryRevocation() {
        hub.listening();
        Stream s = new Stream();
        hub.subscribe("keys-service", s);
        assertEquals(List.of(Revocations.getDefaultInstance()), s.sent);
        UUID id = UUID.randomUUID();
        hub.publish(List.of(id));
        assertEquals(List.of(id.toString()), s.ids());
        assertNull(s.closedWith);
    }

    @Test
    void reasonsGoOutWithTheirIds() {
        hub.listening();
        Stream s = new Stream();
        hub.subscribe("node-registry", s);
        UUID pat = UUID.randomUUID();
        UUID node = UUID.randomUUID();
        hub.publish(List.of(pat, node), java.util.Map.of(node, "token_revoked"));
        Revocations pushed = s.sent.get(1);
        assertEquals(List.of(pat.toString(), node.toString()), pushed.getTokenIdsList());
        assertEquals(java.util.Map.of(node.toString(), "token_revoked"), pushed.getReasonsMap());
    }

    @Test
    void aWatcherThatDoesNotReadIsCutOffInsteadOfGrowingTheHeap() {
        hub.listening();
        Stream slow = new Stream();
        Stream fast = new Stream();
        hub.subscribe("slow", slow);
        hub.subscribe("fast", fast);
        slow.ready = false;
        for (int i = 0; i < 4; i++) {
            hub.publish(List.of(UUID.randomUUID()));
        }
        assertNull(slow.closedWith, "four queued messages are within the buffer");
        hub.publish(List.of(UUID.randomUUID()));
        assertEquals(Status.Code.UNAVAILABLE, slow.closedWith.getCode());
        assertTrue(
                slow.closedWith.getDescription().contains("fell 4 revocation messages behind; reconnect"),
                slow.closedWith.getDescription());
        assertEquals(1, hub.subscriberCount(), "the slow watcher is dropped");
        assertEquals(5, fast.ids().size(), "the others are not held back");

        // A watcher that catches up in time gets everything, in order.
        Stream lagging = new Stream();
        hub.subscribe("lagging", lagging);
        lagging.ready = false;
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        hub.publish(List.of(a));
        hub.publish(List.of(b));
        assertEquals(List.of(), lagging.ids());
        lagging.ready = true;
        lagging.onReady.run();
        assertEquals(List.of(a.toString(), b.toString()), lagging.ids());
    }

    @Test
    void heartbeatsGoOnlyToIdleReadyWatchers() {
        hub.listening();
        Stream idle = new Stream();
        Stream stuck = new Stream();
        hub.subscribe("idle", idle);
        hub.subscribe("stuck", stuck);
        stuck.ready = false;
        hub.heartbeat();
        hub.heartbeat();
        assertEquals(3, idle.sent.size());
        assertEquals(1, stuck.sent.size());
    }

    @Test
    void whileNotListeningStreamsAreRefusedAndOpenOnesEnd() {
        Stream early = new Stream();
        hub.subscribe("early", early);
        assertEquals(Status.Code.UNAVAILABLE, early.closedWith.getCode());
        assertTrue(early.sent.isEmpty(), "never told it is live");

        hub.listening();
        Stream open = new Stream();
        hub.subscribe("open", open);
        hub.notListening();
        assertEquals(Status.Code.UNAVAILABLE, open.closedWith.getCode());
        assertEquals(0, hub.subscriberCount());
    }

    @Test
    void aCancelledWatcherIsForgotten() {
        hub.listening();
        Stream s = new Stream();
        hub.subscribe("gone", s);
        s.onCancel.run();
        assertEquals(0, hub.subscriberCount());
        hub.publish(List.of(UUID.randomUUID()));
        assertEquals(1, s.sent.size());
        assertFalse(s.closedWith != null);
    }
}
