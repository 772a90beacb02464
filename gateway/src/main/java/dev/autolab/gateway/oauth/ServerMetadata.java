package dev.autolab.gateway.oauth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The authorization server's metadata (RFC 8414 §2), all URLs under the gateway's public URL, which is
 * the issuer: a client given only that URL discovers everything else here.
 */
final class ServerMetadata {
    static final String PATH = "/.well-known/oauth-authorization-server";
    static final String DEVICE_AUTHORIZATION = "/oauth/device_authorization";
    static final String TOKEN = "/oauth/token";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    /** The one scope: everything the signed-in user may do, which is what every login token carries. */
    static final String SCOPE = "autolab";

    private ServerMetadata() {}

    /** The issuer: the public URL without trailing slashes (RFC 8414 §3.3 compares it exactly). */
    static String issuer(String publicUrl) {
        return publicUrl.replaceAll("/+$", "");
    }

    static JsonObject of(String publicUrl) {
        String issuer = issuer(publicUrl);
        return new JsonObject()
                .put("issuer", issuer)
                .put("device_authorization_endpoint", issuer + DEVICE_AUTHORIZATION)
                .put("token_endpoint", issuer + TOKEN)
                .put("grant_types_supported", new JsonArray().add(DEVICE_GRANT))
                // No authorization endpoint, so no response type (RFC 8414 still requires the member).
                .put("response_types_supported", new JsonArray())
                .put("token_endpoint_auth_methods_supported", new JsonArray().add("none"))
                .put("scopes_supported", new JsonArray().add(SCOPE));
    }
}
