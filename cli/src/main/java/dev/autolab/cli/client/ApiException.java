package dev.autolab.cli.client;

import dev.autolab.cli.CliException;
import dev.autolab.cli.ExitCodes;

/** The server said no: an HTTP status, the gRPC code, a message for people and an optional reason. */
public final class ApiException extends CliException {
    private final int httpStatus;
    private final int grpcCode;
    private final String reason;

    public ApiException(int httpStatus, int grpcCode, String message, String reason) {
        super(message);
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

    /**
     * The service, or something it needs, is down for now: UNAVAILABLE (503), or a proxy that could
     * not reach or hear from it (502, 504). Worth retrying later; exit code 3, as for an unreachable host.
     */
    public boolean unavailable() {
        return httpStatus == 502 || httpStatus == 503 || httpStatus == 504 || grpcCode == UNAVAILABLE;
    }

    /** 3 when the service is unavailable (retry later), else 1: the server said no. */
    @Override
    public int exitCode() {
        return unavailable() ? ExitCodes.UNREACHABLE : ExitCodes.REFUSED;
    }

    /** google.rpc.Code.UNAVAILABLE. */
    public static final int UNAVAILABLE = 14;

    /** The google.rpc.ErrorInfo reason (e.g. {@code authorization_pending}), or empty. */
    public String reason() {
        return reason == null ? "" : reason;
    }
}
