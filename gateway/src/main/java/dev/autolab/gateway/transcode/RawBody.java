package dev.autolab.gateway.transcode;

import io.grpc.Status.Code;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads an API request's body as bytes, up to a limit, whatever its content type says. The API takes
 * JSON only, so nothing here decodes forms or multipart, or trusts a declared charset: that is what made
 * a GET with {@code content-type: multipart/form-data}, a malformed form body or an unknown charset a 500.
 */
public final class RawBody implements Handler<RoutingContext>, BoundedBody.Refusals {
    private static final String KEY = "autolab.raw-body";
    private final long limit;

    public RawBody(long limit) {
        this.limit = limit;
    }

    /** The body read for this request (empty when there was none). */
    public static Buffer of(RoutingContext ctx) {
        Buffer body = ctx.get(KEY);
        return body == null ? Buffer.buffer() : body;
    }

    @Override
    public void handle(RoutingContext ctx) {
        BoundedBody.read(ctx, limit, this, body -> {
            ctx.put(KEY, body);
            ctx.next();
        });
    }

    @Override
    public void badLength(RoutingContext ctx, String declared) {
        TranscodingHandler.error(
                ctx, 400, Code.INVALID_ARGUMENT, "content-length '" + declared + "' is not a number of bytes");
    }

    @Override
    public void tooLarge(RoutingContext ctx) {
        TranscodingHandler.error(ctx, 413, Code.INVALID_ARGUMENT, "request body over " + limit + " bytes");
    }

    @Override
    public void unreadable(RoutingContext ctx) {
        TranscodingHandler.error(ctx, 400, Code.INVALID_ARGUMENT, "the request body could not be read");
    }
}
