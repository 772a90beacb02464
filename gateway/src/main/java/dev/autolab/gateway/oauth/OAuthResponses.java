package dev.autolab.gateway.oauth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How the OAuth endpoints answer: JSON, and never stored by a cache (RFC 6749 §5.1, RFC 8628 §3.2). */
final class OAuthResponses {
    private OAuthResponses() {}

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json;charset=UTF-8")
                .putHeader("cache-control", "no-store")
                .putHeader("pragma", "no-cache")
                .end(body.encode());
    }
}
