package dev.autolab.gateway.transcode;

import io.grpc.Status.Code;

/** A request the gateway refuses before calling anyone: a gRPC code and a message for people. */
public final class TranscodingException extends RuntimeException {
    private final Code code;

    public TranscodingException(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public static TranscodingException badRequest(String message) {
        return new TranscodingException(Code.INVALID_ARGUMENT, message);
    }

    public Code code() {
        return code;
    }
}
