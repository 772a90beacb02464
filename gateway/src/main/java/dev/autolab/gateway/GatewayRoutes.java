package dev.autolab.gateway;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.autolab.gateway.passthrough.GrpcPassthrough;
import dev.autolab.gateway.transcode.RawBody;
import dev.autolab.gateway.transcode.TranscodingHandler;
import dev.autolab.gateway.web.WebPages;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The one public address: native gRPC is passed through, {@code /v1/…} is transcoded to gRPC,
 * and the sign-in pages are served; every request gets a request id and an access log line.
 */
@Singleton
public class GatewayRoutes {
    private static final Logger ACCESS = Logger.getLogger("dev.autolab.gateway.access");

    @Inject
    GrpcPassthrough passthrough;

    @Inject
    TranscodingHandler transcoding;

    @Inject
    WebPages pages;

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

        BodyHandler forms = BodyHandler.create(false).setBodyLimit(16 * 1024);
        router.get("/").order(-80).handler(pages::home);
        router.get("/signin").order(-80).handler(pages::signInForm);
        formPost(router, "/signin", forms, pages::signIn);
        router.get("/signup").order(-80).handler(pages::signUpForm);
        formPost(router, "/signup", forms, pages::signUp);
        router.get("/device").order(-80).handler(pages::deviceForm);
        formPost(router, "/device", forms, pages::decideDevice);
        formPost(router, "/signout", forms, pages::signOut);
        // Last: every failure of every route above, answered and (when it is ours) logged with an incident id.
        router.route().order(-70).failureHandler(ctx -> Failures.handle(ctx, config.maxBodyBytes()));
    }

    /** A page's form POST: the body decoded by {@code forms}, whose failures are the client's (4xx). */
    private static void formPost(Router router, String path, BodyHandler forms, Handler<RoutingContext> page) {
        // Vert.x wants a body handler first on its route: the marker goes on a route of its own just before.
        router.post(path).order(-81).handler(Failures::readingBody);
        router.post(path).order(-80).handler(forms).handler(Failures::bodyRead).handler(page);
    }
}
