package dev.autolab.common.error;

import io.grpc.Status;

/** Short names for the refusals domain code makes. */
public final class Errors {
    private Errors() {}

    public static AutolabException invalidArgument(String message) {
        return new AutolabException(Status.Code.INVALID_ARGUMENT, null, message);
    }

    public static AutolabException unauthenticated(String message) {
        return new AutolabException(Status.Code.UNAUTHENTICATED, null, message);
    }

    public static AutolabException permissionDenied(String message) {
        return new AutolabException(Status.Code.PERMISSION_DENIED, null, message);
    }

    public static AutolabException notFound(String message) {
        return new AutolabException(Status.Code.NOT_FOUND, null, message);
    }

    public static AutolabException alreadyExists(String message) {
        return new AutolabException(Status.Code.ALREADY_EXISTS, null, message);
    }

    public static AutolabException failedPrecondition(String message) {
        return new AutolabException(Status.Code.FAILED_PRECONDITION, null, message);
    }

    public static AutolabException resourceExhausted(String message) {
        return new AutolabException(Status.Code.RESOURCE_EXHAUSTED, null, message);
    }

    public static AutolabException unavailable(String message) {
        return new AutolabException(Status.Code.UNAVAILABLE, null, message);
    }

    /** A refusal that also names a machine-readable reason, e.g. an RFC 8628 error. */
    public static AutolabException withReason(Status.Code code, String reason, String message) {
        return new AutolabException(code, reason, message);
    }
}
