package dev.autolab.gateway.passthrough;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;

import dev.autolab.gateway.ClientAddress;
import dev.autolab.gateway.route.DescriptorLoader;
import dev.autolab.gateway.upstream.Upstream;
import dev.autolab.gateway.upstream.UpstreamClient;
import dev.autolab.gateway.upstream.Upstreams;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcReadStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.GrpcWriteStream;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * Native gRPC ({@code content-type: application/grpc}) forwarded to the service that owns the
 * called service's package without decoding, so unary and streaming calls (CLI, execution nodes)
 * use the same single address as REST. Unary calls go message by message over the shared pool;
 * streaming methods go through {@link StreamProxy} on their own pool, headers first.
 */
@Singleton
public class GrpcPassthrough {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "content-type",
            "te",
            "user-agent",
            "host",
            "grpc-encoding",
            "grpc-accept-encoding",
            "grpc-status",
            "grpc-message",
            "content-length");
    /** Set by the gateway alone: a client's own value would let it pick the address sign-in throttling counts. */
    private static final String FORWARDED_FOR = "x-forwarded-for";

    private static final Pattern METHOD_PATH =
            Pattern.compile("/[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*" + "/[A-Za-z_][A-Za-z0-9_]*");

    private final GrpcServer server;
    private final UpstreamClient upstream;
    private final Upstreams upstreams;
    private final ClientAddress clientAddress;
    /** Methods that stream in either direction: long-lived, so they go over their own upstream connections. */
    private final Set<String> streamingMethods;

    private final StreamProxy streams;

    @Inject
    public GrpcPassthrough(Vertx vertx, UpstreamClient upstream, Upstreams upstreams, ClientAddress clientAddress) {
        this.upstream = upstream;
        this.clientAddress = clientAddress;
        this.streamingMethods = streamingMethods(DescriptorLoader.load());
        this.upstreams = upstreams;
        this.streams = new StreamProxy(upstream, clientAddress);
        this.server = GrpcServer.server(vertx);
        server.callHandler(this::forward);
    }

    static Set<String> streamingMethods(List<FileDescriptor> files) {
        Set<String> names = new HashSet<>();
        for (FileDescriptor file : files) {
            for (ServiceDescriptor service : file.getServices()) {
                for (MethodDescriptor method : service.getMethods()) {
                    if (method.isClientStreaming() || method.isServerStreaming()) {
                        names.add(service.getFullName() + "/" + method.getName());
                    }
                }
            }
        }
        return Set.copyOf(names);
    }

    public static boolean isGrpc(HttpServerRequest request) {
        String type = request.getHeader("content-type");
        return type != null && type.startsWith("application/grpc");
    }

    public void handle(HttpServerRequest request) {
        if (!METHOD_PATH.matcher(request.path()).matches()) {
            // Vert.x would fail to split such a path into service and method: answer it here, as gRPC.
            request.response()
                    .putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", "12")
                    .putHeader("grpc-message", "not a gRPC method path; calls look like /package.Service/Method")
                    .end();
            return;
        }
        String method = request.path().substring(1);
        String service = method.substring(0, method.indexOf('/'));
        Upstream target = upstreams.forService(service);
        if (streamingMethods.contains(method) && target != null && PublicServices.allows(service)) {
            streams.forward(request, target);
        } else {
            // Unary calls, and every refusal (unknown or internal service), message by message.
            server.handle(request);
        }
    }

    private void forward(GrpcServerRequest<Buffer, Buffer> in) {
        GrpcServerResponse<Buffer, Buffer> reply = in.response();
        String service = in.serviceName().fullyQualifiedName();
        Upstream target = upstreams.forService(service);
        if (target == null) {
            reply.status(GrpcStatus.UNIMPLEMENTED)
                    .statusMessage("no Autolab service serves " + service)
                    .end();
            return;
        }
        if (!PublicServices.allows(service)) {
            // Internal APIs (token validation, key resolution for services, ...) answer only inside.
            reply.status(GrpcStatus.PERMISSION_DENIED)
                    .statusMessage(
                            service + " is internal to the Autolab services and not reachable through the gateway")
                    .end();
            return;
        }
        in.pause();
        upstream.grpc().request(UpstreamClient.address(target)).onComplete(opened -> {
            if (opened.failed()) {
                reply.status(GrpcStatus.UNAVAILABLE)
                        .statusMessage(target.name() + " is unavailable; try again shortly")
                        .end();
                return;
            }
            var out = opened.result();
            out.fullMethodName(in.fullMethodName());
            copy(in.headers(), out.headers());
            out.headers().remove(FORWARDED_FOR);
            out.headers().remove("forwarded");
            out.headers().remove("x-real-ip");
            var peer = in.connection().remoteAddress();
            String client = clientAddress.of(
                    peer == null ? null : peer.hostAddress(), in.headers().getAll(FORWARDED_FOR));
            if (client != null) {
                out.headers().set(FORWARDED_FOR, client);
            }
            out.response().onComplete(answered -> {
                if (answered.failed()) {
                    reply.status(GrpcStatus.UNAVAILABLE)
                            .statusMessage(target.name() + " is unavailable; try again shortly")
                            .end();
                    return;
                }
                var back = answered.result();
                copy(back.headers(), reply.headers());
                pump(back, reply);
                back.exceptionHandler(err -> {
                    if (!reply.trailers().contains("grpc-status")) {
                        reply.status(GrpcStatus.UNAVAILABLE)
                                .statusMessage(target.name() + " closed the call")
                                .end();
                    }
                });
                back.endHandler(done -> {
                    copy(back.trailers(), reply.trailers());
                    reply.status(back.status());
                    if (back.statusMessage() != null) {
                        reply.statusMessage(back.statusMessage());
                    }
                    reply.end();
                });
            });
            pump(in, out);
            in.endHandler(done -> out.end());
            in.errorHandler(error -> out.cancel());
            in.resume();
        });
    }

    /**
     * Forwards messages, pausing the reading side while the writing side's queue is full and resuming it
     * on drain: a slow reader holds back the sender through HTTP/2 flow control instead of growing the
     * gateway's heap.
     */
    static void pump(GrpcReadStream<Buffer> from, GrpcWriteStream<Buffer> to) {
        from.messageHandler(message -> {
            to.writeMessage(message);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(drained -> from.resume());
            }
        });
    }

    private static void copy(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!name.startsWith(":") && !HOP_BY_HOP.contains(name)) {
                to.add(name, header.getValue());
            }
        });
    }
}
