package dev.autolab.gateway;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.autolab.gateway.passthrough.GrpcPassthrough;
import dev.autolab.gateway.transcode.RawBody;
import dev.autolab.gateway.transcode.TranscodingHandler;
import io.vertx.ext.web.Router;

/**
 * The one public address: native gRPC is passed through, {@code /v1/…} is transcoded to gRPC,
 * and web/ serves the pages; every request gets a request id and an access log line.
 */
@Singleton
public class GatewayRoutes {
    private static final Logger ACCESS = Logger.getLogger("dev.autolab.gateway.access");

    @Inject
    GrpcPassthrough passthrough;

    @Inject
    TranscodingHandler transcoding;

    @Inject
    GatewayConfig config;

    @Inject
    ClientAddress clientAddress;

    void install(@Observes Router router) {
        router.route().order(-100).handler(ctx -> {
            long start = System.nanoTime();
            String requestId = RequestMetadata.assignRequestId(ctx);
            var peer = ctx.request().remoteAddress();
            RequestMetadata.clientAddress(
                    ctx,
                    clientAddress.of(
                            peer == null ? null : peer.hostAddress(),
                            ctx.request().headers().getAll("x-forwarded-for")));
            ctx.addEndHandler(done -> ACCESS.infof(
                    "%s %d %.1fms request=%s",
                    RequestMetadata.routeOrPath(ctx),
                    ctx.response().getStatusCode(),
                    (System.nanoTime() - start) / 1e6,
                    requestId));
            if (GrpcPassthrough.isGrpc(ctx.request())) {
                RequestMetadata.routeTemplate(ctx, "grpc " + ctx.request().path());
                passthrough.handle(ctx.request());
            } else {
                ctx.next();
            }
        });

        // The API reads its body as raw bytes (JSON, UTF-8): no form or multipart decoding at all.
        router.route("/v1/*")
                .order(-90)
                .handler(new RawBody(config.maxBodyBytes()))
                .handler(transcoding::handle);

        // The pages' routes (order -80) are web/PageRoutes'.
        // Last: every failure of every route above, answered and (when it is ours) logged with an incident id.
        router.route().order(-70).failureHandler(ctx -> Failures.handle(ctx, config.maxBodyBytes()));
    }
}
