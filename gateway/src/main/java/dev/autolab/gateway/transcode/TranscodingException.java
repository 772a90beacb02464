package dev.autolab.gateway.transcode;

/** A request the gateway refuses before calling anyone: a gRPC code and a message for people. */
public final class TranscodingException extends RuntimeException {
    private final int grpcCode;

    public TranscodingException(int grpcCode, String message) {
        super(message, null, false, false);
        this.grpcCode = grpcCode;
    }

    public static TranscodingException badRequest(String message) {
        return new TranscodingException(3, message);
    }

    public int grpcCode() {
        return grpcCode;
    }
}
