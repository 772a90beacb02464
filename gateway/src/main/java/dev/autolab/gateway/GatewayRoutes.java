package dev.autolab.gateway;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.autolab.gateway.passthrough.GrpcPassthrough;
import dev.autolab.gateway.route.OpenApiDocument;
import dev.autolab.gateway.route.RouteTable;
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

    @Inject
    RouteMetrics metrics;

    @Inject
    RouteTable routes;

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
            ctx.addEndHandler(done -> {
                long nanos = System.nanoTime() - start;
                int status = ctx.response().getStatusCode();
                metrics.record(RequestMetadata.routeTemplate(ctx), status, nanos);
                if (ACCESS.isInfoEnabled()) {
                    ACCESS.info(AccessLine.of(RequestMetadata.routeOrPath(ctx), status, nanos, requestId));
                }
            });
            if (GrpcPassthrough.isGrpc(ctx.request())) {
                RequestMetadata.routeTemplate(ctx, "grpc " + ctx.request().path());
                passthrough.handle(ctx.request());
            } else {
                ctx.next();
            }
        });

        // The REST surface as OpenAPI 3, from the same descriptors (built once; before the /v1/* transcoder).
        String openApi = OpenApiDocument.of(routes.routes()).encode();
        router.get(OpenApiDocument.PATH).order(-95).handler(ctx -> {
            RequestMetadata.routeTemplate(ctx, "GET " + OpenApiDocument.PATH);
            ctx.response().putHeader("content-type", "application/json").end(openApi);
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
