package dev.autolab.gateway.transcode;

/** The standard gRPC to HTTP status table (google/rpc/code.proto). */
public final class GrpcHttpStatus {
    private GrpcHttpStatus() {}

    public static int httpStatus(int grpcCode) {
        return switch (grpcCode) {
            case 0 -> 200; // OK
            case 1 -> 499; // CANCELLED
            case 3, 9, 11 -> 400; // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
            case 4 -> 504; // DEADLINE_EXCEEDED
            case 5 -> 404; // NOT_FOUND
            case 6, 10 -> 409; // ALREADY_EXISTS, ABORTED
            case 7 -> 403; // PERMISSION_DENIED
            case 8 -> 429; // RESOURCE_EXHAUSTED
            case 12 -> 501; // UNIMPLEMENTED
            case 14 -> 503; // UNAVAILABLE
            case 16 -> 401; // UNAUTHENTICATED
            default -> 500; // UNKNOWN, INTERNAL, DATA_LOSS
        };
    }
}
