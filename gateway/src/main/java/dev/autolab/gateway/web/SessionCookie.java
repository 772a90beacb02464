package dev.autolab.gateway.web;

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
        ctx.response().addCookie(Cookie.cookie(NAME, session.getToken())
                .setHttpOnly(true)
                .setSecure(config.secureCookies())
                .setSameSite(CookieSameSite.STRICT)
                .setPath("/")
                .setMaxAge(maxAge));
    }

    public void clear(RoutingContext ctx) {
        ctx.response().addCookie(Cookie.cookie(NAME, "").setPath("/").setMaxAge(0).setHttpOnly(true));
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

    static boolean sameOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("origin");
        // host() is the Host header on HTTP/1.1 and :authority on HTTP/2.
        String host = ctx.request().host();
        return origin != null && host != null
                && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }
}
