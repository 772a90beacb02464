package dev.autolab.cli.client;

/** The server said no: an HTTP status, the gRPC code, a message for people and an optional reason. */
public final class ApiException extends RuntimeException {
    private final int httpStatus;
    private final int grpcCode;
    private final String reason;

    public ApiException(int httpStatus, int grpcCode, String message, String reason) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.grpcCode = grpcCode;
        this.reason = reason;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int grpcCode() {
        return grpcCode;
    }

    /** The google.rpc.ErrorInfo reason (e.g. {@code authorization_pending}), or empty. */
    public String reason() {
        return reason == null ? "" : reason;
    }
}
