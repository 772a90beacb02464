package dev.autolab.gateway.oauth;

import dev.autolab.gateway.transcode.BoundedBody;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads an OAuth endpoint's request: a POST whose form body (at most {@link #LIMIT} bytes) carries every
 * parameter. Nothing is taken from the URL: RFC 6749 §3.2 and RFC 8628 §3.1 send them in the body, and a
 * device code in a query string would end up in proxies' logs. Refusals are RFC 6749 errors.
 */
final class FormRequest implements Handler<RoutingContext> {
    /** Far above any real request (a device code is 43 characters), far below anything that costs memory. */
    static final int LIMIT = 8 * 1024;

    private static final String KEY = "autolab.oauth.form";

    /** The parameters read for this request. */
    static java.util.Map<String, String> of(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.POST) {
            ctx.response().putHeader("allow", "POST");
            new OAuthError(405, OAuthError.INVALID_REQUEST, "use POST with a form body").send(ctx);
            return;
        }
        if (request.query() != null) {
            OAuthError.invalidRequest("send the parameters in the form body, not in the URL")
                    .send(ctx);
            return;
        }
        if (!FormBody.isForm(request.getHeader("content-type"))) {
            OAuthError.invalidRequest("send the parameters form-encoded, with content-type"
                            + " application/x-www-form-urlencoded (UTF-8)")
                    .send(ctx);
            return;
        }
        BoundedBody.read(ctx, LIMIT, REFUSALS, body -> parsed(ctx, body));
    }

    private static void parsed(RoutingContext ctx, Buffer body) {
        try {
            ctx.put(KEY, FormBody.parse(body.getBytes()));
        } catch (FormBody.Malformed e) {
            OAuthError.invalidRequest(e.getMessage()).send(ctx);
            return;
        }
        ctx.next();
    }

    /** RFC 6749 errors for a body that cannot be read. */
    private static final BoundedBody.Refusals REFUSALS = new BoundedBody.Refusals() {
        @Override
        public void badLength(RoutingContext ctx, String declared) {
            OAuthError.invalidRequest("content-length is not a number of bytes").send(ctx);
        }

        @Override
        public void tooLarge(RoutingContext ctx) {
            new OAuthError(413, OAuthError.INVALID_REQUEST, "request body over " + LIMIT + " bytes").send(ctx);
        }

        @Override
        public void unreadable(RoutingContext ctx) {
            OAuthError.invalidRequest("the request body could not be read").send(ctx);
        }
    };
}
