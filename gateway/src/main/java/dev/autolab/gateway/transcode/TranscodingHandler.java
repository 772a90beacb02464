package dev.autolab.gateway.transcode;

import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.autolab.gateway.Failures;
import dev.autolab.gateway.GatewayConfig;
import dev.autolab.gateway.RequestMetadata;
import dev.autolab.gateway.route.Route;
import dev.autolab.gateway.route.RouteTable;
import dev.autolab.gateway.upstream.UpstreamClient;
import io.grpc.Status.Code;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** REST/JSON in, gRPC to the owning service, JSON out: every {@code /v1/…} request. */
@Singleton
public class TranscodingHandler {
    private static final Logger LOG = Logger.getLogger(TranscodingHandler.class);
    private static final CharSequence CACHE_CONTROL = HttpHeaders.createOptimized("cache-control");
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

    private final RouteTable routes;
    private final UpstreamClient upstream;
    private final GatewayConfig config;
    private final List<CallerCredential> credentials;
    /** What each route needs per request, worked out once at start. */
    private final Map<Route, RoutePlan> plans;

    @Inject
    public TranscodingHandler(
            RouteTable routes,
            UpstreamClient upstream,
            GatewayConfig config,
            Instance<ResponseHook> hooks,
            Instance<CallerCredential> credentials) {
        this.routes = routes;
        this.upstream = upstream;
        this.config = config;
        Map<String, List<ResponseHook>> byMethod =
                ResponseHooks.byMethod(hooks.stream().toList(), routes);
        this.credentials = credentials.stream().toList();
        this.plans = new IdentityHashMap<>();
        for (Route route : routes.routes()) {
            plans.put(route, RoutePlan.of(route, byMethod.getOrDefault(route.fullMethodName(), List.of())));
        }
    }

    public void handle(RoutingContext ctx) {
        // Every answer of the API is someone's data (tokens, keys, a new secret): never kept by a browser or a
        // shared cache. Set first, so errors carry it too; pre-encoded names, as this is the hot path.
        ctx.response().headers().set(CACHE_CONTROL, NO_STORE);
        String method = ctx.request().method().name();
        String path = ctx.request().path();
        RouteTable.Lookup lookup = routes.find(method, path);
        if (lookup.route() == null) {
            if (lookup.allowedMethods().isEmpty()) {
                error(ctx, 404, Code.NOT_FOUND, "no API at " + path + "; see the API reference in proto/");
            } else {
                ctx.response().putHeader("Allow", String.join(", ", lookup.allowedMethods()));
                error(
                        ctx,
                        405,
                        Code.UNIMPLEMENTED,
                        method + " is not allowed on " + path + "; use "
                                + String.join(" or ", lookup.allowedMethods()));
            }
            return;
        }
        Route route = lookup.route();
        RoutePlan plan = plans.get(route);
        RequestMetadata.routeTemplate(ctx, plan.template());
        DynamicMessage request;
        try {
            request = RequestTranscoder.transcode(
                    route,
                    lookup.variables(),
                    ctx.request().query() == null ? Map.of() : query(ctx.queryParams()),
                    RawBody.of(ctx).toString(StandardCharsets.UTF_8));
        } catch (TranscodingException e) {
            error(ctx, GrpcHttpStatus.httpStatus(e.code()), e.code(), e.getMessage());
            return;
        }
        MultiMap metadata = RequestMetadata.forUpstream(ctx, authorization(ctx));
        upstream.unary(route.upstream(), plan.fullMethodName(), request.toByteArray(), metadata, config.callTimeout())
                .onComplete(done -> {
                    try {
                        respond(ctx, route, plan, done.result());
                    } catch (RuntimeException e) {
                        Failures.internal(ctx, e);
                    }
                });
    }

    private void respond(RoutingContext ctx, Route route, RoutePlan plan, UpstreamClient.Reply reply) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        if (!reply.ok()) {
            ctx.response()
                    .setStatusCode(GrpcHttpStatus.httpStatus(reply.status().getCode()))
                    .putHeader("content-type", "application/json")
                    .end(ErrorBody.json(reply.status()));
            return;
        }
        try {
            for (ResponseHook hook : plan.hooks()) {
                hook.onSuccess(ctx, reply.payload());
            }
            ctx.response()
                    .setStatusCode(200)
                    .putHeader("content-type", "application/json")
                    .end(plan.json(reply.payload()));
        } catch (InvalidProtocolBufferException e) {
            LOG.errorf(
                    "%s answered bytes that are not a %s",
                    route.upstream().name(), route.method().getOutputType().getFullName());
            error(ctx, 502, Code.INTERNAL, route.upstream().name() + " sent a malformed response");
        } catch (Exception e) {
            Failures.internal(ctx, e);
        }
    }

    /** The caller's Authorization header, or else a credential a registered feature finds on the request. */
    private String authorization(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        if (header != null) {
            return header;
        }
        for (CallerCredential credential : credentials) {
            String found = credential.authorization(ctx);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Map<String, List<String>> query(MultiMap params) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : params.names()) {
            out.put(name, params.getAll(name));
        }
        return out;
    }

    public static void error(RoutingContext ctx, int httpStatus, Code code, String message) {
        ctx.response()
                .setStatusCode(httpStatus)
                .putHeader("content-type", "application/json")
                .end(ErrorBody.json(code, message));
    }
}
