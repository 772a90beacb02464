package dev.autolab.gateway.transcode;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;

import io.grpc.Status.Code;

/** Error responses as google.rpc.Status JSON: {@code {"code": 5, "message": "...", "details": [...]}}. */
public final class ErrorBody {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                    .add(ErrorInfo.getDescriptor())
                    .add(BadRequest.getDescriptor())
                    .add(RetryInfo.getDescriptor())
                    .build())
            .omittingInsignificantWhitespace();

    private ErrorBody() {}

    /** A non-OK status as JSON. */
    public static String json(Status status) {
        try {
            return PRINTER.print(status);
        } catch (InvalidProtocolBufferException e) {
            return json(Status.newBuilder()
                    .setCode(status.getCode())
                    .setMessage(status.getMessage())
                    .build());
        }
    }

    public static String json(Code code, String message) {
        return json(
                Status.newBuilder().setCode(code.value()).setMessage(message).build());
    }
}
