package dev.autolab.gateway.oauth;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.gateway.GatewayConfig;
import dev.autolab.gateway.RequestMetadata;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The standard OAuth 2.0 surface: server metadata (RFC 8414) and the device authorization grant
 * (RFC 8628), so that any OAuth client library signs a user in given only the gateway's URL and a
 * registered client id. Installed beside {@code GatewayRoutes}, whose first handler (request id, client
 * address, access log) and last (failures) cover these routes too.
 */
@Singleton
public class OAuthRoutes {
    @Inject
    DeviceGrantEndpoints endpoints;

    @Inject
    GatewayConfig config;

    void install(@Observes Router router) {
        router.get(ServerMetadata.PATH).order(-85).handler(this::metadata);
        router.route(ServerMetadata.DEVICE_AUTHORIZATION)
                .order(-85)
                .handler(named("POST " + ServerMetadata.DEVICE_AUTHORIZATION))
                .handler(new FormRequest())
                .handler(endpoints::deviceAuthorization);
        router.route(ServerMetadata.TOKEN)
                .order(-85)
                .handler(named("POST " + ServerMetadata.TOKEN))
                .handler(new FormRequest())
                .handler(endpoints::token);
    }

    private void metadata(RoutingContext ctx) {
        RequestMetadata.routeTemplate(ctx, "GET " + ServerMetadata.PATH);
        ctx.response()
                .setStatusCode(200)
                .putHeader("content-type", "application/json;charset=UTF-8")
                // Changes only with the configuration: clients may keep it a few minutes.
                .putHeader("cache-control", "public, max-age=300")
                .end(ServerMetadata.of(config.publicUrl()).encode());
    }

    /** The access log's name for the route (never the query). */
    private static io.vertx.core.Handler<RoutingContext> named(String template) {
        return ctx -> {
            RequestMetadata.routeTemplate(ctx, template);
            ctx.next();
        };
    }
}
