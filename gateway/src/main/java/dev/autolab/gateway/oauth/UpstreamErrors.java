package dev.autolab.gateway.oauth;

import java.util.Set;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;

import dev.autolab.gateway.transcode.GrpcHttpStatus;

/**
 * auth-service's refusals as RFC 6749 §5.2 / RFC 8628 §3.5 errors. The RFC's error name is the
 * {@code google.rpc.ErrorInfo} reason auth-service attached (DeviceService's contract); the description is
 * its message for people, without the reason it starts with.
 */
final class UpstreamErrors {
    /** Reasons that are OAuth error names, answered as HTTP 400 as RFC 6749 §5.2 and RFC 8628 §3.5 say. */
    private static final Set<String> OAUTH_ERRORS = Set.of(
            "authorization_pending",
            "slow_down",
            "access_denied",
            "expired_token",
            OAuthError.INVALID_GRANT,
            OAuthError.INVALID_CLIENT,
            OAuthError.INVALID_REQUEST);

    private UpstreamErrors() {}

    static OAuthError of(Status status) {
        String reason = reason(status);
        String message = status.getMessage();
        if (!reason.isEmpty() && message.startsWith(reason + ": ")) {
            message = message.substring(reason.length() + 2);
        }
        if (OAUTH_ERRORS.contains(reason)) {
            return OAuthError.badRequest(reason, message);
        }
        return switch (GrpcHttpStatus.code(status.getCode())) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION -> OAuthError.invalidRequest(message);
            // Too many device codes from this address: RFC 8628's name for "ask less often".
            case RESOURCE_EXHAUSTED -> new OAuthError(429, "slow_down", message);
            // auth-service or its database is down for now: worth retrying.
            case UNAVAILABLE, DEADLINE_EXCEEDED -> new OAuthError(503, "temporarily_unavailable", message);
            default -> new OAuthError(GrpcHttpStatus.httpStatus(status.getCode()), "server_error", message);
        };
    }

    /** The ErrorInfo reason among the status details, or empty. */
    static String reason(Status status) {
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                try {
                    return detail.unpack(ErrorInfo.class).getReason();
                } catch (InvalidProtocolBufferException ignored) {
                    return "";
                }
            }
        }
        return "";
    }
}
