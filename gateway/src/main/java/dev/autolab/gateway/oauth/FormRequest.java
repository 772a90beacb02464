package dev.autolab.gateway.oauth;

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
        String declared = request.getHeader("content-length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0) {
                OAuthError.invalidRequest("content-length is not a number of bytes")
                        .send(ctx);
                return;
            }
            if (length > LIMIT) {
                tooLarge(ctx);
                return;
            }
        }
        Buffer body = Buffer.buffer();
        if (request.isEnded()) {
            parsed(ctx, body);
            return;
        }
        boolean[] over = {false};
        request.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > LIMIT) {
                over[0] = true;
                tooLarge(ctx);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(error -> {
            if (!ctx.response().ended()) {
                OAuthError.invalidRequest("the request body could not be read").send(ctx);
            }
        });
        request.endHandler(done -> {
            if (!over[0] && !ctx.response().ended()) {
                parsed(ctx, body);
            }
        });
        request.resume();
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

    private static void tooLarge(RoutingContext ctx) {
        ctx.response().putHeader("connection", "close");
        new OAuthError(413, OAuthError.INVALID_REQUEST, "request body over " + LIMIT + " bytes").send(ctx);
    }
}
