package dev.autolab.common.input;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Refuses, with INVALID_ARGUMENT naming the field, any request whose text holds a NUL character:
 * PostgreSQL cannot store or compare one, so without this guard a NUL anywhere (a token reference,
 * a handle at sign-in) would surface as an internal error. Every service picks it up from this jar;
 * each field's own rules (names refuse all control characters) stay with the domain code.
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestHygiene implements ServerInterceptor {

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(ReqT message) {
                if (refused) {
                    return;
                }
                String field = message instanceof Message m ? fieldWithNul(m) : null;
                if (field != null) {
                    refused = true;
                    call.close(
                            Status.INVALID_ARGUMENT.withDescription("the field \"" + field
                                    + "\" contains a NUL character (\\x00); remove it and try again"),
                            new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }

    /** The path of the first string field holding U+0000, or null. Only set fields are visited. */
    static String fieldWithNul(Message message) {
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            List<?> values = field.isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
            for (Object value : values) {
                if (value instanceof String s && s.indexOf('\0') >= 0) {
                    return field.getJsonName();
                }
                if (value instanceof Message inner) {
                    String path = fieldWithNul(inner);
                    if (path != null) {
                        return field.getJsonName() + "." + path;
                    }
                }
            }
        }
        return null;
    }
}
