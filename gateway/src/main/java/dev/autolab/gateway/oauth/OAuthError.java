package dev.autolab.gateway.oauth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An RFC 6749 §5.2 error answer: {@code {"error", "error_description"}}, never cached. The description
 * is kept to the characters RFC 6749 allows in it (printable ASCII but {@code "} and {@code \}), so a
 * strict client library never refuses the answer because of what a message happened to contain.
 */
public record OAuthError(int httpStatus, String error, String description) {
    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String INVALID_SCOPE = "invalid_scope";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";

    public static OAuthError badRequest(String error, String description) {
        return new OAuthError(400, error, description);
    }

    public static OAuthError invalidRequest(String description) {
        return badRequest(INVALID_REQUEST, description);
    }

    public void send(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        if (httpStatus == 401) {
            // RFC 6749 §5.2: a 401 names the authentication schemes; a public client has none.
            ctx.response().putHeader("www-authenticate", "Basic realm=\"autolab\"");
        }
        OAuthResponses.json(
                ctx,
                httpStatus,
                new JsonObject().put("error", error).put("error_description", describable(description)));
    }

    /** RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E. */
    static String describable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                out.append('\'');
            } else if (c == '\\') {
                out.append('/');
            } else if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
            } else {
                out.append('?');
            }
        }
        return out.toString();
    }
}
