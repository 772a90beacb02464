package dev.autolab.common.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.grpc.ServerCall;

/**
 * Stands in for the real listener while the caller's credential is checked asynchronously: events
 * that arrive meanwhile are kept in order and replayed once the real listener is known.
 */
final class DeferredListener<ReqT> extends ServerCall.Listener<ReqT> {
    private List<Consumer<ServerCall.Listener<ReqT>>> pending = new ArrayList<>();
    private ServerCall.Listener<ReqT> delegate;

    void attach(ServerCall.Listener<ReqT> listener) {
        List<Consumer<ServerCall.Listener<ReqT>>> replay;
        synchronized (this) {
            replay = pending;
            pending = null;
            delegate = listener;
        }
        replay.forEach(event -> event.accept(listener));
    }

    private void dispatch(Consumer<ServerCall.Listener<ReqT>> event) {
        ServerCall.Listener<ReqT> target;
        synchronized (this) {
            target = delegate;
            if (target == null) {
                pending.add(event);
                return;
            }
        }
        event.accept(target);
    }

    @Override
    public void onMessage(ReqT message) {
        dispatch(l -> l.onMessage(message));
    }

    @Override
    public void onHalfClose() {
        dispatch(ServerCall.Listener::onHalfClose);
    }

    @Override
    public void onCancel() {
        dispatch(ServerCall.Listener::onCancel);
    }

    @Override
    public void onComplete() {
        dispatch(ServerCall.Listener::onComplete);
    }

    @Override
    public void onReady() {
        dispatch(ServerCall.Listener::onReady);
    }
}
