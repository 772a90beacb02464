package dev.autolab.gateway.dashboard;

import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.gateway.GatewayConfig;
import dev.autolab.gateway.RequestMetadata;
import dev.autolab.gateway.web.Csrf;
import dev.autolab.gateway.web.SessionCookie;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The dashboard: one page at {@code /dashboard} behind the browser session, and the few static files
 * it and the sign-in pages use under {@code /assets/}. The page is a small script that calls the public
 * REST API ({@code /v1/…}) with the session cookie like any client; nothing here talks to a service.
 */
@Singleton
public class DashboardRoutes {
    /**
     * No inline script or style, nothing from elsewhere, never in a frame. Trusted Types are required: the
     * script puts server text in through textContent and attributes only and assigns no HTML or script sink
     * (innerHTML, insertAdjacentHTML, document.write, a script's src…), so a browser refusing every such
     * string costs nothing and stops any future slip from becoming an injection.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; require-trusted-types-for 'script'";

    static final String SIGN_IN = "/signin?next=%2Fdashboard";

    private final Asset page = Asset.load("dashboard/index.html", "text/html; charset=utf-8");

    /** Everything under /assets/, by file name: a fixed list, so no path ever reaches the file system. */
    private final Map<String, Asset> assets = Map.of(
            "autolab.css", Asset.load("dashboard/autolab.css", "text/css; charset=utf-8"),
            "dashboard.js", Asset.load("dashboard/dashboard.js", "text/javascript; charset=utf-8"),
            "favicon.svg", Asset.load("dashboard/favicon.svg", "image/svg+xml"));

    @Inject
    GatewayConfig config;

    @Inject
    SessionCookie sessions;

    // Registered here rather than in GatewayRoutes, at the pages' order: before the failure handler.
    void install(@Observes Router router) {
        router.get("/dashboard").order(-80).handler(this::dashboard);
        router.get("/assets/:file").order(-80).handler(this::asset);
    }

    /**
     * The page, or the sign-in page when this browser has no session (it comes back here after). An
     * expired session shows as a 401 from the API, and the script sends the browser to sign in then.
     */
    void dashboard(RoutingContext ctx) {
        RequestMetadata.routeTemplate(ctx, "GET /dashboard");
        if (sessions.value(ctx) == null) {
            ctx.response()
                    .setStatusCode(303)
                    .putHeader("location", SIGN_IN)
                    .putHeader("cache-control", "no-store")
                    .end();
            return;
        }
        // The page carries the CSRF field of its Sign out form (the one server-rendered value in it).
        String html = page.text().replace("<!--csrf-->", Csrf.field(Csrf.tokenFor(ctx, config.cookiesSecure())));
        secure(ctx.response())
                .putHeader("content-type", page.contentType())
                .putHeader("cache-control", "no-store")
                .end(html);
    }

    /** A static file, revalidated by its ETag on each use so a new gateway's files are seen at once. */
    void asset(RoutingContext ctx) {
        RequestMetadata.routeTemplate(ctx, "GET /assets/:file");
        Asset asset = assets.get(ctx.pathParam("file"));
        HttpServerResponse response = secure(ctx.response());
        if (asset == null) {
            response.setStatusCode(404)
                    .putHeader("content-type", "text/plain; charset=utf-8")
                    .end("no such file\n");
            return;
        }
        response.putHeader("cache-control", "no-cache").putHeader("etag", asset.etag());
        if (asset.etag().equals(ctx.request().getHeader("if-none-match"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("content-type", asset.contentType()).end(io.vertx.core.buffer.Buffer.buffer(asset.bytes()));
    }

    private HttpServerResponse secure(HttpServerResponse response) {
        SessionCookie.strictTransport(config, response);
        return response.putHeader("content-security-policy", CSP)
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("x-frame-options", "DENY")
                // Not no-referrer: under it the Fetch standard sends "Origin: null" on the script's own writes,
                // and the gateway takes the session cookie for a write only with this origin.
                .putHeader("referrer-policy", "same-origin");
    }
}
