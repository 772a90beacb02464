package dev.autolab.gateway.transcode;

import io.grpc.Status.Code;

/**
 * The one gRPC code to HTTP status table (google/rpc/code.proto's mapping, as Envoy and grpc-gateway use it):
 * every REST answer, page and OAuth error takes its HTTP status from here.
 */
public final class GrpcHttpStatus {
    private GrpcHttpStatus() {}

    public static int httpStatus(Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 499;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case UNAUTHENTICATED -> 401;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
        };
    }

    /** For the wire value of a {@code google.rpc.Status}; a value no code has is treated as UNKNOWN (500). */
    public static int httpStatus(int wireCode) {
        return httpStatus(code(wireCode));
    }

    /** A wire code as the named enum (gRPC makes an unknown value UNKNOWN). */
    public static Code code(int wireCode) {
        return io.grpc.Status.fromCodeValue(wireCode).getCode();
    }
}
