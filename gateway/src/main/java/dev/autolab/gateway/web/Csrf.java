package dev.autolab.gateway.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * Double-submit CSRF protection for the forms: a random token in a SameSite=Strict cookie and in
 * a hidden field; a POST is accepted only when the two match (compared in constant time). The dashboard's
 * page carries the field too, for its Sign out form.
 */
public final class Csrf {
    /** The cookie's name on plain http; with Secure cookies it is {@link #SECURE_COOKIE} (see SessionCookie). */
    public static final String COOKIE = "autolab_csrf";

    public static final String SECURE_COOKIE = "__Host-" + COOKIE;
    public static final String FIELD = "csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {}

    /** The token for a form, set as a cookie when the browser has none yet. */
    public static String tokenFor(RoutingContext ctx, boolean secure) {
        String existing = RequestCookies.single(ctx.request(), cookieName(secure));
        if (existing != null && existing.length() >= 32) {
            return existing;
        }
        return rotate(ctx, secure);
    }

    /**
     * A fresh token, replacing the browser's: at every change of who is signed in, so a token seen
     * before sign-in (a planted cookie, a shared machine) is worth nothing after it.
     */
    static String rotate(RoutingContext ctx, boolean secure) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ctx.response().removeCookie(cookieName(secure), false);
        ctx.response()
                .addCookie(Cookie.cookie(cookieName(secure), token)
                        .setHttpOnly(true)
                        .setSecure(secure)
                        .setSameSite(CookieSameSite.STRICT)
                        .setPath("/"));
        return token;
    }

    public static String field(String token) {
        return "<input type=\"hidden\" name=\"" + FIELD + "\" value=\"" + Html.escape(token) + "\">";
    }

    /** {@code __Host-autolab_csrf} when cookies are Secure, else the plain name. */
    public static String cookieName(boolean secure) {
        return secure ? SECURE_COOKIE : COOKIE;
    }

    /** Whether the form's token matches the browser's one cookie (a cookie sent twice matches nothing). */
    static boolean valid(RoutingContext ctx, boolean secure) {
        String cookie = RequestCookies.single(ctx.request(), cookieName(secure));
        String submitted = ctx.request().getFormAttribute(FIELD);
        return cookie != null
                && submitted != null
                && !submitted.isEmpty()
                && MessageDigest.isEqual(
                        cookie.getBytes(StandardCharsets.UTF_8), submitted.getBytes(StandardCharsets.UTF_8));
    }
}
