package dev.autolab.gateway.web;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.autolab.gateway.GatewayConfig;
import dev.autolab.proto.auth.v1.Session;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser session ({@code als_…}) as an HttpOnly, SameSite=Strict cookie. A cookie is only
 * honoured for reads, or for writes that say they come from this same origin, so another site
 * cannot make a browser act with it (with SameSite=Strict, two locks on one door).
 */
@Singleton
public class SessionCookie {
    public static final String NAME = "autolab_session";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    @Inject
    GatewayConfig config;

    public void set(RoutingContext ctx, byte[] sessionPayload) throws InvalidProtocolBufferException {
        Session session = Session.parseFrom(sessionPayload);
        long maxAge = Math.max(0, session.getExpiresAt().getSeconds() - System.currentTimeMillis() / 1000);
        ctx.response()
                .addCookie(Cookie.cookie(NAME, session.getToken())
                        .setHttpOnly(true)
                        .setSecure(config.cookiesSecure())
                        .setSameSite(CookieSameSite.STRICT)
                        .setPath("/")
                        .setMaxAge(maxAge));
    }

    public void clear(RoutingContext ctx) {
        ctx.response()
                .addCookie(Cookie.cookie(NAME, "")
                        .setPath("/")
                        .setMaxAge(0)
                        .setHttpOnly(true)
                        .setSecure(config.cookiesSecure())
                        .setSameSite(CookieSameSite.STRICT));
    }

    /** The session from the cookie, when this request may use it. */
    public String usableFrom(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(NAME);
        if (cookie == null || cookie.getValue().isEmpty()) {
            return null;
        }
        if (SAFE_METHODS.contains(ctx.request().method().name()) || sameOrigin(ctx)) {
            return cookie.getValue();
        }
        return null;
    }

    /**
     * Whether a REST sign-in may set the cookie: only for a JSON request (a form or a {@code text/plain}
     * body is what another site can make a browser send without asking) that does not come from
     * another origin. Otherwise a foreign page could sign a browser in as the attacker (login CSRF).
     */
    public boolean maySetFromApi(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        if (type == null) {
            return false;
        }
        int semicolon = type.indexOf(';');
        String media =
                (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        String origin = ctx.request().getHeader("origin");
        return media.equals("application/json") && (origin == null || isOwnOrigin(ctx, origin));
    }

    /** Whether the request says it comes from a page of this gateway. */
    boolean sameOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("origin");
        return origin != null && isOwnOrigin(ctx, origin);
    }

    /**
     * The configured public URL's origin, or the origin the browser addressed (a browser always sends
     * the Host it connects to; host() is the Host header on HTTP/1.1 and :authority on HTTP/2).
     */
    private boolean isOwnOrigin(RoutingContext ctx, String origin) {
        String host = ctx.request().host();
        return origin.equals(publicOrigin())
                || host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private String publicOrigin() {
        try {
            URI url = URI.create(config.publicUrl());
            return url.getScheme() + "://" + url.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
