package dev.autolab.gateway;

import java.util.UUID;

import org.jboss.logging.Logger;

import dev.autolab.gateway.transcode.ErrorBody;
import io.grpc.Status.Code;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place a failed request is answered. A failure while the request body is read (malformed
 * form encoding, a body over the limit, a broken multipart) is the client's: 4xx with a message. Anything
 * else is a gateway bug: logged with an incident id that the answer repeats, so a person can quote
 * it and an operator can find it, without the details leaving the gateway.
 */
public final class Failures {
    private static final Logger LOG = Logger.getLogger(Failures.class);
    /** Set while a form body is being read and decoded: a failure then is the client's encoding. */
    private static final String READING_BODY = "autolab.reading-body";
    /** Set once the body was read whole, so a later failure is known not to be the client's body. */
    private static final String BODY_READ = "autolab.body-read";

    private Failures() {}

    public static void readingBody(RoutingContext ctx) {
        ctx.put(READING_BODY, Boolean.TRUE);
        ctx.next();
    }

    public static void bodyRead(RoutingContext ctx) {
        ctx.put(BODY_READ, Boolean.TRUE);
        ctx.next();
    }

    /** The failure handler of every route. */
    public static void handle(RoutingContext ctx, long maxBodyBytes) {
        if (ctx.response().ended()) {
            return;
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        int status = ctx.statusCode();
        if (status == 413) {
            answer(ctx, 413, Code.INVALID_ARGUMENT, "request body over " + maxBodyBytes + " bytes");
        } else if (status >= 400 && status < 500) {
            answer(
                    ctx,
                    status,
                    status == 404 ? Code.NOT_FOUND : Code.INVALID_ARGUMENT,
                    "the request could not be read (HTTP " + status + ")");
        } else if (ctx.get(READING_BODY) != null && ctx.get(BODY_READ) == null && ctx.failure() != null) {
            // Body decoding failed before any handler of ours ran: bad encoding from the client.
            answer(
                    ctx,
                    400,
                    Code.INVALID_ARGUMENT,
                    "the request body could not be decoded as its content-type says ("
                            + ctx.request().getHeader("content-type")
                            + "); send JSON with content-type application/json");
        } else {
            internal(ctx, ctx.failure());
        }
    }

    /** An unexpected failure: logged with an incident id, answered 500 naming only the id. */
    public static void internal(RoutingContext ctx, Throwable failure) {
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(
                failure,
                "internal error %s on %s (request %s)",
                incident,
                RequestMetadata.routeOrPath(ctx),
                RequestMetadata.requestId(ctx));
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        answer(ctx, 500, Code.INTERNAL, "internal error (incident " + incident + "); the gateway log has the details");
    }

    private static void answer(RoutingContext ctx, int httpStatus, Code code, String message) {
        ctx.response()
                .setStatusCode(httpStatus)
                .putHeader("content-type", "application/json")
                .end(ErrorBody.json(code, message));
    }
}
