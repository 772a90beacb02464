package dev.autolab.gateway.upstream;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;

import dev.autolab.gateway.GatewayConfig;
import io.grpc.Status.Code;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;

/**
 * Unary gRPC calls to the services on raw bytes, non-blocking on the event loop, always with a
 * deadline. A refused connection, a reset or a missed deadline becomes a gRPC status naming the
 * service, never a hang.
 */
@Singleton
public class UpstreamClient {
    private static final Logger LOG = Logger.getLogger(UpstreamClient.class);
    /** A finished call: its status, and the response bytes when OK. */
    public record Reply(Status status, byte[] payload) {
        public boolean ok() {
            return status.getCode() == Code.OK.value();
        }

        /** The status's code as the named enum. */
        public Code code() {
            return io.grpc.Status.fromCodeValue(status.getCode()).getCode();
        }
    }

    private final Vertx vertx;
    private final GrpcClient client;
    /**
     * One small pool per event loop for unary calls made on an event loop: Vert.x's pool hands any of its
     * connections to any caller, so a request handled on one event loop could be written by another and
     * answered back across threads (two thread hand-offs per call, each a wake-up on a busy machine).
     * A pool used from one event loop opens its connections on that loop, so the call never leaves it.
     */
    private final Map<Thread, GrpcClient> perEventLoop = new ConcurrentHashMap<>();

    private final HttpClientOptions unaryOptions;
    /**
     * Plain HTTP/2, not gRPC: a streaming call is proxied frame by frame so its headers can go upstream as
     * soon as it arrives (Vert.x's gRPC client sends them only with the first message).
     */
    private final HttpClient streams;

    @Inject
    public UpstreamClient(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        // Several HTTP/2 connections per service, few streams each: one connection would put all
        // traffic on one event loop at each end.
        this.client = GrpcClient.client(
                vertx,
                new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_2)
                        .setHttp2ClearTextUpgrade(false)
                        .setHttp2MaxPoolSize(2 * Runtime.getRuntime().availableProcessors())
                        .setHttp2MultiplexingLimit(16));
        this.unaryOptions = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setHttp2MaxPoolSize(2)
                .setHttp2MultiplexingLimit(64);
        // Long-lived streams (a node's Connect lives for hours) get connections of their own: on the
        // shared pool, a few dozen of them would hold every stream slot (pool size x multiplexing
        // limit) and leave unary calls waiting for a connection. Their capacity per service is
        // connections x min(streams per connection, what the service advertises): a stream beyond it
        // waits for a slot, so both must cover every node (node-registry advertises 10,000 in the
        // local suite; Vert.x's default is 100). A connection carrying streams is never closed as
        // idle (the keep-alive timeout only retires connections without streams).
        this.streams = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setHttp2MaxPoolSize(config.streamConnections())
                .setHttp2MultiplexingLimit(config.streamsPerConnection()));
        LOG.debugf(
                "upstream streams: %d connections x %d streams per service",
                config.streamConnections(), config.streamsPerConnection());
    }

    /** The pool for unary calls made now: this event loop's own (see {@link #perEventLoop}). */
    public GrpcClient grpc() {
        return unaryClient();
    }

    /** The streaming methods' own pool. */
    public HttpClient streams() {
        return streams;
    }

    public static SocketAddress address(Upstream upstream) {
        return SocketAddress.inetSocketAddress(upstream.port(), upstream.host());
    }

    public Future<Reply> unary(
            Upstream upstream, String fullMethodName, byte[] request, MultiMap metadata, Duration timeout) {
        Promise<Reply> result = Promise.promise();
        AtomicBoolean finished = new AtomicBoolean();
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            if (finished.compareAndSet(false, true)) {
                result.complete(failure(
                        Code.DEADLINE_EXCEEDED,
                        upstream.name() + " did not answer within " + timeout.toMillis() + " ms"));
            }
        });
        unaryClient().request(address(upstream)).onComplete(opened -> {
            if (opened.failed()) {
                finish(finished, timer, result, failure(Code.UNAVAILABLE, unavailable(upstream, opened.cause())));
                return;
            }
            GrpcClientRequest<Buffer, Buffer> call = opened.result();
            call.fullMethodName(fullMethodName);
            call.headers().addAll(metadata);
            call.headers().set("grpc-timeout", timeout.toMillis() + "m");
            call.exceptionHandler(
                    err -> finish(finished, timer, result, failure(Code.UNAVAILABLE, unavailable(upstream, err))));
            call.response().onComplete(answered -> {
                if (answered.failed()) {
                    finish(finished, timer, result, failure(Code.UNAVAILABLE, unavailable(upstream, answered.cause())));
                    return;
                }
                var response = answered.result();
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                response.handler(message -> body.writeBytes(message.getBytes()));
                response.exceptionHandler(
                        err -> finish(finished, timer, result, failure(Code.UNAVAILABLE, unavailable(upstream, err))));
                response.endHandler(done -> finish(
                        finished,
                        timer,
                        result,
                        new Reply(
                                status(
                                        response.status().code,
                                        response.statusMessage(),
                                        response.trailers(),
                                        response.headers()),
                                body.toByteArray())));
            });
            call.end(Buffer.buffer(request));
            if (finished.get()) {
                call.cancel();
            }
        });
        return result.future();
    }

    /** This event loop's own pool, or the shared one off the event loops. */
    private GrpcClient unaryClient() {
        if (!Context.isOnEventLoopThread()) {
            return client;
        }
        return perEventLoop.computeIfAbsent(Thread.currentThread(), t -> GrpcClient.client(vertx, unaryOptions));
    }

    private void finish(AtomicBoolean finished, long timer, Promise<Reply> result, Reply reply) {
        if (finished.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            result.complete(reply);
        }
    }

    /**
     * The full status, with details, when the service sent them: in the trailers, or in the headers
     * of a trailers-only response.
     */
    private static Status status(int code, String message, MultiMap trailers, MultiMap headers) {
        String details = trailers == null ? null : trailers.get("grpc-status-details-bin");
        if (details == null && headers != null) {
            details = headers.get("grpc-status-details-bin");
        }
        if (details != null) {
            try {
                return Status.parseFrom(Base64.getDecoder().decode(details));
            } catch (InvalidProtocolBufferException | IllegalArgumentException ignored) {
                // fall back to code and message
            }
        }
        return Status.newBuilder()
                .setCode(code)
                .setMessage(message == null ? "" : message)
                .build();
    }

    private static Reply failure(Code code, String message) {
        return new Reply(
                Status.newBuilder().setCode(code.value()).setMessage(message).build(), new byte[0]);
    }

    /** For people: which service; the cause (with internal addresses) goes to the log only. */
    private static String unavailable(Upstream upstream, Throwable cause) {
        LOG.warnf("%s at %s:%d unavailable: %s", upstream.name(), upstream.host(), upstream.port(), cause.toString());
        return upstream.name() + " is unavailable; try again shortly";
    }

    @PreDestroy
    void close() {
        client.close();
        perEventLoop.values().forEach(GrpcClient::close);
        streams.close();
    }
}
