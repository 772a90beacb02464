package dev.autolab.gateway.transcode;

import io.grpc.Status.Code;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads an API request's body as bytes, up to a limit, whatever its content type says. The API takes
 * JSON only, so nothing here decodes forms or multipart, or trusts a declared charset: that is what made
 * a GET with {@code content-type: multipart/form-data}, a malformed form body or an unknown charset a 500.
 */
public final class RawBody implements Handler<RoutingContext> {
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
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader("content-length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0) {
                TranscodingHandler.error(
                        ctx, 400, Code.INVALID_ARGUMENT, "content-length '" + declared + "' is not a number of bytes");
                return;
            }
            if (length > limit) {
                tooLarge(ctx);
                return;
            }
        }
        Buffer body = Buffer.buffer();
        if (request.isEnded()) {
            ctx.put(KEY, body);
            ctx.next();
            return;
        }
        boolean[] over = {false};
        request.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                over[0] = true;
                tooLarge(ctx);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(error -> {
            if (!ctx.response().ended()) {
                TranscodingHandler.error(ctx, 400, Code.INVALID_ARGUMENT, "the request body could not be read");
            }
        });
        request.endHandler(done -> {
            if (!over[0] && !ctx.response().ended()) {
                ctx.put(KEY, body);
                ctx.next();
            }
        });
        request.resume();
    }

    private void tooLarge(RoutingContext ctx) {
        ctx.response().putHeader("connection", "close");
        TranscodingHandler.error(ctx, 413, Code.INVALID_ARGUMENT, "request body over " + limit + " bytes");
    }
}
