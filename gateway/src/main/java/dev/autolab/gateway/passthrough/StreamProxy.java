package dev.autolab.gateway.passthrough;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import dev.autolab.gateway.ClientAddress;
import dev.autolab.gateway.upstream.Upstream;
import dev.autolab.gateway.upstream.UpstreamClient;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcStatus;

/**
 * A streaming gRPC call proxied as plain HTTP/2: headers, then the length-prefixed messages byte for
 * byte, then trailers. The request headers go upstream as soon as the call arrives, so a stream whose
 * server speaks first (node-registry's LeaseGranted on {@code Connect}) works; Vert.x's gRPC client
 * would hold them back until the client's first message.
 */
final class StreamProxy {
    private static final Logger LOG = Logger.getLogger(StreamProxy.class);
    /** Connection-specific or recomputed headers; gRPC's own (te, content-type, grpc-*) pass through as-is. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host", "content-length");
    /** Set by the gateway alone: a client's own value would let it pick the address sign-in throttling counts. */
    private static final String FORWARDED_FOR = "x-forwarded-for";

    /** HTTP/2's RST_STREAM error code CANCEL (RFC 9113 §7), which gRPC reads as CANCELLED. */
    private static final long HTTP2_CANCEL = 0x8;

    private final UpstreamClient upstream;
    private final ClientAddress clientAddress;

    StreamProxy(UpstreamClient upstream, ClientAddress clientAddress) {
        this.upstream = upstream;
        this.clientAddress = clientAddress;
    }

    /** Forwards a call whose service is known and public (the caller checked both). */
    void forward(HttpServerRequest in, Upstream target) {
        in.pause();
        HttpServerResponse reply = in.response();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(UpstreamClient.address(target))
                .setHost(target.host())
                .setPort(target.port())
                .setURI(in.uri());
        upstream.streams().request(options).onComplete(opened -> {
            if (opened.failed()) {
                fail(reply, unavailable(target, opened.cause()));
                return;
            }
            HttpClientRequest out = opened.result();
            if (reply.closed()) {
                out.reset(HTTP2_CANCEL); // the client left while the upstream stream was opening
                return;
            }
            out.setChunked(true);
            copy(in.headers(), out.headers());
            out.headers().remove(FORWARDED_FOR);
            out.headers().remove("forwarded");
            out.headers().remove("x-real-ip");
            var peer = in.remoteAddress();
            String client = clientAddress.of(
                    peer == null ? null : peer.hostAddress(), in.headers().getAll(FORWARDED_FOR));
            if (client != null) {
                out.headers().set(FORWARDED_FOR, client);
            }
            // Once the client is gone nothing may be written to its stream: a frame on a reset stream is a
            // protocol error that would close the client's whole connection, every other call on it too.
            AtomicBoolean clientGone = new AtomicBoolean();
            out.exceptionHandler(err -> {
                if (!clientGone.get()) {
                    fail(reply, closed(target, err));
                }
            });
            out.response().onComplete(answered -> {
                if (answered.failed()) {
                    fail(reply, unavailable(target, answered.cause()));
                    return;
                }
                HttpClientResponse back = answered.result();
                reply.setStatusCode(back.statusCode());
                copy(back.headers(), reply.headers());
                back.exceptionHandler(err -> {
                    if (!clientGone.get()) {
                        fail(reply, closed(target, err));
                    }
                });
                back.endHandler(done -> {
                    if (!reply.ended() && !reply.closed() && !clientGone.get()) {
                        // Touching reply.trailers() makes Vert.x send a trailers frame, even an empty one: a
                        // trailers-only answer (status in the headers) must stay one, or clients see no status.
                        if (!back.trailers().isEmpty()) {
                            copy(back.trailers(), reply.trailers());
                        }
                        reply.end();
                    }
                });
                pump(back, reply);
            });
            // The client going away (cancel, deadline, lost connection) resets the upstream stream,
            // which the service sees as CANCELLED.
            in.exceptionHandler(err -> {
                clientGone.set(true);
                out.reset(HTTP2_CANCEL);
            });
            reply.closeHandler(closed -> {
                if (!reply.ended()) {
                    clientGone.set(true);
                    out.reset(HTTP2_CANCEL);
                }
            });
            in.endHandler(done -> out.end());
            pump(in, out);
            out.sendHead();
            in.resume();
        });
    }

    /**
     * Forwards bytes, pausing the reading side while the writing side's queue is full and resuming it
     * on drain: a slow reader holds back the sender through HTTP/2 flow control instead of growing the
     * gateway's heap.
     */
    static void pump(ReadStream<Buffer> from, WriteStream<Buffer> to) {
        from.handler(chunk -> {
            to.write(chunk);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(drained -> from.resume());
            }
        });
    }

    /** Ends the call with UNAVAILABLE: in the headers if nothing was sent yet, else in the trailers. */
    private static void fail(HttpServerResponse reply, String message) {
        if (reply.ended() || reply.closed()) {
            return;
        }
        MultiMap status = reply.headWritten() ? reply.trailers() : reply.headers();
        if (!reply.headWritten()) {
            reply.setStatusCode(200);
            reply.headers().set("content-type", "application/grpc");
        }
        status.set("grpc-status", String.valueOf(GrpcStatus.UNAVAILABLE.code));
        status.set("grpc-message", percentEncoded(message));
        reply.end();
    }

    /** For people: which service; the cause (with internal addresses) goes to the log only. */
    private static String unavailable(Upstream target, Throwable cause) {
        LOG.warnf("%s at %s:%d unavailable: %s", target.name(), target.host(), target.port(), cause.toString());
        return target.name() + " is unavailable; try again shortly";
    }

    private static String closed(Upstream target, Throwable cause) {
        LOG.debugf("%s closed a stream: %s", target.name(), cause.toString());
        return target.name() + " closed the call";
    }

    /** grpc-message is percent-encoded UTF-8 outside printable ASCII (and '%' itself). */
    static String percentEncoded(String message) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b < 0x7f && b != '%') {
                encoded.append((char) b);
            } else {
                encoded.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }

    private static void copy(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith(":") && !HOP_BY_HOP.contains(name)) {
                to.add(name, header.getValue());
            }
        });
    }
}
