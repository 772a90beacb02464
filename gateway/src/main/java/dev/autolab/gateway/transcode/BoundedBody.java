package dev.autolab.gateway.transcode;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request's body into memory, at most {@code limit} bytes: a declared content-length over the limit
 * is refused before a byte is read, and a body that grows past it while streaming is refused as it does
 * (with {@code connection: close}, so the rest is not read either). One reader for the REST API
 * ({@link RawBody}) and the OAuth endpoints; each says its refusals in its own error format.
 */
public final class BoundedBody {
    /** How a caller answers each way a body can be refused; each sends the response. */
    public interface Refusals {
        /** The content-length header is not a number of bytes. */
        void badLength(RoutingContext ctx, String declared);

        /** The body is (or says it is) over the limit. */
        void tooLarge(RoutingContext ctx);

        /** The connection failed while the body was being read. */
        void unreadable(RoutingContext ctx);
    }

    private BoundedBody() {}

    /** Reads the body and hands it to {@code then}, or answers with one of {@code refusals}. */
    public static void read(RoutingContext ctx, long limit, Refusals refusals, Consumer<Buffer> then) {
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
                refusals.badLength(ctx, declared);
                return;
            }
            if (length > limit) {
                tooLarge(ctx, refusals);
                return;
            }
        }
        Buffer body = Buffer.buffer();
        if (request.isEnded()) {
            then.accept(body);
            return;
        }
        boolean[] over = {false};
        request.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                over[0] = true;
                tooLarge(ctx, refusals);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(error -> {
            if (!ctx.response().ended()) {
                refusals.unreadable(ctx);
            }
        });
        request.endHandler(done -> {
            if (!over[0] && !ctx.response().ended()) {
                then.accept(body);
            }
        });
        request.resume();
    }

    private static void tooLarge(RoutingContext ctx, Refusals refusals) {
        ctx.response().putHeader("connection", "close");
        refusals.tooLarge(ctx);
    }
}
