package dev.autolab.gateway;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/** Per-request facts the gateway keeps (request id, matched route) and the metadata it forwards. */
public final class RequestMetadata {
    public static final String REQUEST_ID_HEADER = "x-request-id";
    private static final String REQUEST_ID = "autolab.request-id";
    private static final String ROUTE = "autolab.route";
    private static final String CLIENT = "autolab.client-address";
    private static final Pattern SAFE_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

    private RequestMetadata() {}

    /** Keeps the caller's request id when it is a sane one, otherwise makes one; echoes it back. */
    public static String assignRequestId(RoutingContext ctx) {
        String given = ctx.request().getHeader(REQUEST_ID_HEADER);
        String id = given != null && SAFE_ID.matcher(given).matches() ? given : newId();
        ctx.put(REQUEST_ID, id);
        ctx.response().putHeader(REQUEST_ID_HEADER, id);
        return id;
    }

    /**
     * A random version-4 UUID from the thread's fast generator: a request id correlates log lines and is no
     * secret, so it need not cost a SecureRandom draw (which UUID.randomUUID makes) on every request.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    public static String requestId(RoutingContext ctx) {
        String id = ctx.get(REQUEST_ID);
        return id == null ? assignRequestId(ctx) : id;
    }

    /** Remembers the client's address (see {@link ClientAddress}) for every call made for this request. */
    public static void clientAddress(RoutingContext ctx, String address) {
        ctx.put(CLIENT, address);
    }

    public static void routeTemplate(RoutingContext ctx, String template) {
        ctx.put(ROUTE, template);
    }

    /** The matched route's template, or null when the request matched none. */
    public static String routeTemplate(RoutingContext ctx) {
        return ctx.get(ROUTE);
    }

    /** The matched route's template for the access log, or the bare path (never the query). */
    public static String routeOrPath(RoutingContext ctx) {
        String route = ctx.get(ROUTE);
        return route != null
                ? route
                : ctx.request().method().name() + " " + ctx.request().path();
    }

    /** What the services receive: the given credential (may be null), the request id and the client's address. */
    public static MultiMap forUpstream(RoutingContext ctx, String authorization) {
        MultiMap metadata = MultiMap.caseInsensitiveMultiMap();
        if (authorization != null) {
            metadata.set("authorization", authorization);
        }
        metadata.set(REQUEST_ID_HEADER, requestId(ctx));
        String client = ctx.get(CLIENT);
        if (client != null) {
            // Set here alone: a client's own x-forwarded-for never reaches a service.
            metadata.set("x-forwarded-for", client);
        }
        return metadata;
    }
}
