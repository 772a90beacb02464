package dev.autolab.gateway.transcode;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

/** gRPC response bytes to compact proto3 JSON: lowerCamelCase names, default values left out as proto3 JSON does. */
public final class ResponseTranscoder {
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private ResponseTranscoder() {}

    public static String json(Descriptor type, byte[] payload) throws InvalidProtocolBufferException {
        return JSON.print(DynamicMessage.parseFrom(type, payload));
    }
}
