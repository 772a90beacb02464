package dev.autolab.gateway.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.gateway.transcode.CallerCredential;
import dev.autolab.gateway.transcode.ResponseHook;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser session on the REST API, plugged into the generic transcoder: {@code POST /v1/sessions}
 * (SessionService.CreateSession) also sets the session cookie when {@link SessionCookie#maySetFromApi}
 * allows it, and a call without an {@code Authorization} header uses the cookie when
 * {@link SessionCookie#usableFrom} allows it.
 */
@Singleton
public class SessionCookieHooks implements ResponseHook, CallerCredential {
    @Inject
    SessionCookie sessions;

    @Override
    public String fullMethodName() {
        return SessionServiceGrpc.getCreateSessionMethod().getFullMethodName();
    }

    @Override
    public void onSuccess(RoutingContext ctx, byte[] response) throws Exception {
        if (sessions.maySetFromApi(ctx)) {
            sessions.set(ctx, response);
        }
    }

    @Override
    public String authorization(RoutingContext ctx) {
        String session = sessions.usableFrom(ctx);
        return session == null ? null : "Bearer " + session;
    }
}
