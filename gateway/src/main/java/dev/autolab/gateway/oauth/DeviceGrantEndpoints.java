package dev.autolab.gateway.oauth;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;

import dev.autolab.gateway.Failures;
import dev.autolab.gateway.GatewayConfig;
import dev.autolab.gateway.RequestMetadata;
import dev.autolab.gateway.upstream.UpstreamClient;
import dev.autolab.gateway.upstream.Upstreams;
import dev.autolab.proto.auth.v1.DeviceCodeRequest;
import dev.autolab.proto.auth.v1.DeviceCodeResponse;
import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.PollDeviceTokenRequest;
import dev.autolab.proto.auth.v1.PollDeviceTokenResponse;
import io.grpc.MethodDescriptor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The device authorization grant at the wire (RFC 8628 §3.1-3.5): form parameters in, RFC 6749 JSON
 * out, mapped onto DeviceService's RequestDeviceCode and PollDeviceToken, the same calls the CLI's JSON
 * routes make, so the per-address limit on codes and {@code slow_down} apply to both alike. The clients
 * are public (RFC 6749 §2.1): identified by {@code client_id}, registered in auth-service, no secret.
 */
@Singleton
public class DeviceGrantEndpoints {
    /**
     * Optional extension parameter of the device authorization request: the machine's name, which names
     * the login token ({@code login@<device_name>}) and is shown on the approval page. RFC 6749 §3.1 has
     * servers ignore parameters they do not know, so any client may send it.
     */
    static final String DEVICE_NAME = "device_name";

    @Inject
    UpstreamClient upstream;

    @Inject
    Upstreams upstreams;

    @Inject
    GatewayConfig config;

    /** RFC 8628 §3.1: {@code client_id}, optional {@code scope} (and our {@code device_name}). */
    public void deviceAuthorization(RoutingContext ctx) {
        if (refusedAsAuthenticated(ctx)) {
            return;
        }
        Map<String, String> form = FormRequest.of(ctx);
        String clientId = form.get("client_id");
        if (clientId == null) {
            OAuthError.invalidRequest("client_id is required (the Autolab CLI is autolab-cli)")
                    .send(ctx);
            return;
        }
        String unknownScope = unknownScope(form.get("scope"));
        if (unknownScope != null) {
            OAuthError.badRequest(
                            OAuthError.INVALID_SCOPE,
                            "unknown scope " + unknownScope + "; the one scope is " + ServerMetadata.SCOPE
                                    + " (everything the signing-in user may do)")
                    .send(ctx);
            return;
        }
        DeviceCodeRequest request = DeviceCodeRequest.newBuilder()
                .setClientId(clientId)
                .setClientName(form.getOrDefault(DEVICE_NAME, ""))
                .build();
        call(ctx, DeviceServiceGrpc.getRequestDeviceCodeMethod(), request, payload -> {
            DeviceCodeResponse code = DeviceCodeResponse.parseFrom(payload);
            OAuthResponses.json(
                    ctx,
                    200,
                    new JsonObject()
                            .put("device_code", code.getDeviceCode())
                            .put("user_code", code.getUserCode())
                            .put("verification_uri", code.getVerificationUri())
                            .put("verification_uri_complete", code.getVerificationUriComplete())
                            .put("expires_in", code.getExpiresIn())
                            .put("interval", code.getInterval()));
        });
    }

    /** RFC 8628 §3.4: {@code grant_type=urn:ietf:params:oauth:grant-type:device_code}, {@code device_code}, {@code client_id}. */
    public void token(RoutingContext ctx) {
        if (refusedAsAuthenticated(ctx)) {
            return;
        }
        Map<String, String> form = FormRequest.of(ctx);
        String grantType = form.get("grant_type");
        if (grantType == null) {
            OAuthError.invalidRequest("grant_type is required: " + ServerMetadata.DEVICE_GRANT)
                    .send(ctx);
            return;
        }
        if (!grantType.equals(ServerMetadata.DEVICE_GRANT)) {
            OAuthError.badRequest(
                            OAuthError.UNSUPPORTED_GRANT_TYPE,
                            "this server grants tokens for the device flow only (grant_type "
                                    + ServerMetadata.DEVICE_GRANT + ")")
                    .send(ctx);
            return;
        }
        String clientId = form.get("client_id");
        if (clientId == null) {
            OAuthError.invalidRequest("client_id is required (the client that asked for the device code)")
                    .send(ctx);
            return;
        }
        String deviceCode = form.get("device_code");
        if (deviceCode == null) {
            OAuthError.invalidRequest("device_code is required (from the device authorization response)")
                    .send(ctx);
            return;
        }
        PollDeviceTokenRequest request = PollDeviceTokenRequest.newBuilder()
                .setDeviceCode(deviceCode)
                .setClientId(clientId)
                .build();
        call(ctx, DeviceServiceGrpc.getPollDeviceTokenMethod(), request, payload -> {
            PollDeviceTokenResponse done = PollDeviceTokenResponse.parseFrom(payload);
            JsonObject answer = new JsonObject()
                    .put("access_token", done.getAccessToken())
                    .put("token_type", "Bearer")
                    .put("scope", ServerMetadata.SCOPE);
            if (done.getToken().hasExpiresAt()) {
                // Just minted: its lifetime is expiry minus creation.
                answer.put(
                        "expires_in",
                        done.getToken().getExpiresAt().getSeconds()
                                - done.getToken().getCreatedAt().getSeconds());
            }
            OAuthResponses.json(ctx, 200, answer);
        });
    }

    /**
     * Public clients authenticate with nothing (metadata: {@code token_endpoint_auth_methods_supported: none}).
     * A client that sends credentials in the Authorization header is invalid_client with HTTP 401, as RFC
     * 6749 §5.2 requires for a client that tried that header.
     */
    private static boolean refusedAsAuthenticated(RoutingContext ctx) {
        if (ctx.request().getHeader("authorization") == null) {
            return false;
        }
        new OAuthError(
                        401,
                        OAuthError.INVALID_CLIENT,
                        "Autolab's clients are public: send client_id in the form and no Authorization header")
                .send(ctx);
        return true;
    }

    /** The first requested scope that is not ours, or null when all are (or none was asked for). */
    private static String unknownScope(String scope) {
        if (scope == null) {
            return null;
        }
        for (String s : scope.split(" ")) {
            if (!s.isEmpty() && !s.equals(ServerMetadata.SCOPE)) {
                return s.length() > 40 ? s.substring(0, 40) + "..." : s;
            }
        }
        return null;
    }

    /** A proto parse of an OK reply; a malformed one is the upstream's fault. */
    private interface Answer {
        void accept(byte[] payload) throws InvalidProtocolBufferException;
    }

    private <Q extends MessageLite> void call(
            RoutingContext ctx, MethodDescriptor<Q, ?> method, Q request, Answer then) {
        upstream.unary(
                        upstreams.forService(method.getServiceName()),
                        method.getFullMethodName(),
                        request.toByteArray(),
                        // No credential goes upstream: these calls need none, and a client's is refused above.
                        RequestMetadata.forUpstream(ctx, (String) null),
                        config.callTimeout())
                .onComplete(done -> {
                    try {
                        UpstreamClient.Reply reply = done.result();
                        if (!reply.ok()) {
                            UpstreamErrors.of(reply.status()).send(ctx);
                            return;
                        }
                        then.accept(reply.payload());
                    } catch (InvalidProtocolBufferException e) {
                        new OAuthError(502, "server_error", "auth-service sent a malformed answer").send(ctx);
                    } catch (RuntimeException e) {
                        Failures.internal(ctx, e);
                    }
                });
    }
}
