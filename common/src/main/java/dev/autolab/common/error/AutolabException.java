package dev.autolab.common.error;

import io.grpc.Status;

/**
 * A refusal meant for a person: a gRPC status code, a message that says what was wrong and what to
 * do, and optionally a machine-readable reason (sent as google.rpc.ErrorInfo). Messages must never
 * contain a secret. Thrown by domain code; turned into a {@link Status} only by {@link StatusMapper}.
 */
public final class AutolabException extends RuntimeException {
    private final Status.Code code;
    private final String reason;

    public AutolabException(Status.Code code, String reason, String message) {
        // Expected refusals: no stack trace to fill, none to log.
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    public Status.Code code() {
        return code;
    }

    /** Machine-readable reason (e.g. {@code authorization_pending}), or {@code null}. */
    public String reason() {
        return reason;
    }
}
