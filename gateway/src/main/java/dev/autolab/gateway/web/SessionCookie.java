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
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser session ({@code als_…}) as an HttpOnly, SameSite=Strict cookie. A cookie is only
 * honoured for reads, or for writes that say they come from this same origin, so another site
 * cannot make a browser act with it (with SameSite=Strict, two locks on one door).
 *
 * <p>When cookies are Secure (an https public URL) the name carries the {@code __Host-} prefix: a
 * browser then keeps only a cookie set by this very host, Secure, with Path=/ and no Domain, so a
 * sibling subdomain cannot plant one ("cookie tossing"). Plain-http loopback development cannot use the
 * prefix (it requires Secure) and keeps the plain name. A name sent twice is refused either way
 * ({@link RequestCookies}).
 */
@Singleton
public class SessionCookie {
    /** The name on plain http (loopback development). */
    public static final String NAME = "autolab_session";
    /** The name when cookies are Secure. */
    public static final String SECURE_NAME = "__Host-" + NAME;

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    @Inject
    GatewayConfig config;

    public void set(RoutingContext ctx, byte[] sessionPayload) throws InvalidProtocolBufferException {
        Session session = Session.parseFrom(sessionPayload);
        long maxAge = Math.max(0, session.getExpiresAt().getSeconds() - System.currentTimeMillis() / 1000);
        ctx.response()
                .addCookie(Cookie.cookie(name(), session.getToken())
                        .setHttpOnly(true)
                        .setSecure(config.cookiesSecure())
                        .setSameSite(CookieSameSite.STRICT)
                        .setPath("/")
                        .setMaxAge(maxAge));
    }

    public void clear(RoutingContext ctx) {
        ctx.response()
                .addCookie(Cookie.cookie(name(), "")
                        .setPath("/")
                        .setMaxAge(0)
                        .setHttpOnly(true)
                        .setSecure(config.cookiesSecure())
                        .setSameSite(CookieSameSite.STRICT));
    }

    /** The cookie's name under this configuration. */
    public String name() {
        return config.cookiesSecure() ? SECURE_NAME : NAME;
    }

    /** The session in the request's one cookie, for any use; null when none (or when sent twice). */
    public String value(RoutingContext ctx) {
        return RequestCookies.single(ctx.request(), name());
    }

    /** The session from the cookie, when this request may use it. */
    public String usableFrom(RoutingContext ctx) {
        String session = value(ctx);
        if (session == null) {
            return null;
        }
        if (SAFE_METHODS.contains(ctx.request().method().name()) || sameOrigin(ctx)) {
            return session;
        }
        return null;
    }

    /**
     * Whether a page's form POST comes from one of this gateway's pages. A browser sends Origin on every
     * form POST (the pages' {@code Referrer-Policy: same-origin} keeps it a real origin, not "null"); when
     * present it must be ours. Without Origin (older browsers) the request is taken only when
     * {@code Sec-Fetch-Site} says same-origin, or, with no Sec-Fetch-Site either, when the Referer is one
     * of our pages. Anything else (another site, "null", no evidence at all) is refused.
     */
    public boolean formFromOwnPage(RoutingContext ctx) {
        String origin = ctx.request().getHeader("origin");
        if (origin != null) {
            return isOwnOrigin(ctx, origin);
        }
        String site = ctx.request().getHeader("sec-fetch-site");
        if (site != null) {
            return site.equals("same-origin");
        }
        String referer = ctx.request().getHeader("referer");
        if (referer == null) {
            return false;
        }
        int path = referer.indexOf('/', referer.indexOf("://") + 3);
        return referer.indexOf("://") > 0 && isOwnOrigin(ctx, path < 0 ? referer : referer.substring(0, path));
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
     * With an https public URL, exactly its origin: the Host header is the client's to choose (and an
     * http origin is a page an attacker on the path can write). On plain http (loopback development), the
     * configured origin or the origin the browser addressed (a browser always sends the Host it connects
     * to; host() is the Host header on HTTP/1.1 and :authority on HTTP/2).
     */
    private boolean isOwnOrigin(RoutingContext ctx, String origin) {
        if (origin.equals(publicOrigin())) {
            return true;
        }
        if (config.httpsOnly()) {
            return false;
        }
        String host = ctx.request().host();
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    /**
     * {@code Strict-Transport-Security} on a page when the gateway is reached over https only, so a
     * browser never again asks for it (or sends its cookies) over plain http.
     */
    public static void strictTransport(GatewayConfig config, HttpServerResponse response) {
        if (config.httpsOnly()) {
            response.putHeader("strict-transport-security", "max-age=31536000");
        }
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
