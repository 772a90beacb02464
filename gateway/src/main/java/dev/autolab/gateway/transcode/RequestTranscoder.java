package dev.autolab.gateway.transcode;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.autolab.gateway.route.Route;

/**
 * Builds a route's gRPC request from an HTTP request, as Envoy's transcoder does: the body (all of
 * it for {@code body: "*"}, or one field), then path variables, then query parameters for the rest.
 * Unknown JSON fields and unknown query parameters are refused.
 */
public final class RequestTranscoder {
    private static final JsonFormat.Parser JSON = JsonFormat.parser();

    private RequestTranscoder() {}

    public static DynamicMessage transcode(
            Route route, Map<String, String> pathVariables, Map<String, List<String>> query, String body) {
        Descriptor input = route.method().getInputType();
        DynamicMessage.Builder request = DynamicMessage.newBuilder(input);
        String bodyField = route.body();
        boolean hasBody = body != null && !body.isBlank();
        if (bodyField.isEmpty() && hasBody) {
            throw TranscodingException.badRequest(route.httpMethod() + " " + route.path()
                    + " takes no request body; pass parameters in the query string");
        }
        if (!hasBody && !bodyField.equals("*") && pathVariables.isEmpty() && query.isEmpty()) {
            // Nothing to set (GET /v1/whoami): every field at its default, zero bytes on the wire.
            return DynamicMessage.getDefaultInstance(input);
        }
        if (bodyField.equals("*")) {
            merge(request, hasBody ? body : "{}", input);
        } else if (!bodyField.isEmpty() && hasBody) {
            FieldDescriptor field = input.findFieldByName(bodyField);
            DynamicMessage.Builder part = DynamicMessage.newBuilder(field.getMessageType());
            merge(part, body, field.getMessageType());
            request.setField(field, part.build());
        }
        pathVariables.forEach((name, value) -> setScalar(request, input.findFieldByName(name), name, List.of(value)));
        if (!query.isEmpty() && bodyField.equals("*")) {
            throw TranscodingException.badRequest(
                    "this call takes its parameters in the JSON body, not the query string" + " (got: "
                            + String.join(", ", query.keySet()) + ")");
        }
        query.forEach((name, values) -> {
            FieldDescriptor field = findField(input, name);
            if (field == null
                    || pathVariables.containsKey(field.getName())
                    || field.getName().equals(bodyField)
                    || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                throw TranscodingException.badRequest("unknown query parameter '" + name + "'; this call takes: "
                        + queryable(input, pathVariables.keySet(), bodyField));
            }
            setScalar(request, field, name, values);
        });
        return request.build();
    }

    private static void merge(DynamicMessage.Builder builder, String json, Descriptor type) {
        try {
            JSON.merge(json, builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw TranscodingException.badRequest("invalid JSON body for " + type.getName() + ": " + e.getMessage());
        }
    }

    private static FieldDescriptor findField(Descriptor type, String name) {
        FieldDescriptor byName = type.findFieldByName(name);
        if (byName != null) {
            return byName;
        }
        return type.getFields().stream()
                .filter(f -> f.getJsonName().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static String queryable(Descriptor type, java.util.Set<String> path, String body) {
        String names = type.getFields().stream()
                .filter(f -> !path.contains(f.getName())
                        && !f.getName().equals(body)
                        && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE)
                .map(FieldDescriptor::getJsonName)
                .collect(Collectors.joining(", "));
        return names.isEmpty() ? "none" : names;
    }

    private static void setScalar(
            DynamicMessage.Builder builder, FieldDescriptor field, String name, List<String> values) {
        if (field == null) {
            throw TranscodingException.badRequest("unknown parameter '" + name + "'");
        }
        if (!field.isRepeated() && values.size() > 1) {
            throw TranscodingException.badRequest("parameter '" + name + "' given " + values.size() + " times");
        }
        for (String value : values) {
            Object parsed = parse(field, name, value);
            if (field.isRepeated()) {
                builder.addRepeatedField(field, parsed);
            } else {
                builder.setField(field, parsed);
            }
        }
    }

    private static Object parse(FieldDescriptor field, String name, String value) {
        try {
            return switch (field.getJavaType()) {
                case STRING -> printable(value);
                case BOOLEAN ->
                    switch (value) {
                        case "true", "1", "" -> true;
                        case "false", "0" -> false;
                        default -> throw new IllegalArgumentException("expected true or false");
                    };
                case INT -> Integer.parseInt(value);
                case LONG -> Long.parseLong(value);
                case FLOAT -> Float.parseFloat(value);
                case DOUBLE -> Double.parseDouble(value);
                case ENUM -> enumValue(field, value);
                default -> throw new IllegalArgumentException("cannot be set from a string");
            };
        } catch (IllegalArgumentException e) {
            throw TranscodingException.badRequest("parameter '" + name + "': \"" + value + "\" is not a valid "
                    + field.getJavaType().name().toLowerCase(java.util.Locale.ROOT)
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    /**
     * Path and query parameters are names, handles and references: a control character (NUL included,
     * which PostgreSQL refuses to store) is never part of one.
     */
    private static String printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control characters are not allowed");
            }
        }
        return value;
    }

    private static EnumValueDescriptor enumValue(FieldDescriptor field, String value) {
        EnumValueDescriptor found = field.getEnumType().findValueByName(value);
        if (found == null && value.matches("-?[0-9]{1,10}")) {
            found = field.getEnumType().findValueByNumber(Integer.parseInt(value));
        }
        if (found == null) {
            throw new IllegalArgumentException("expected one of "
                    + field.getEnumType().getValues().stream()
                            .map(EnumValueDescriptor::getName)
                            .collect(Collectors.joining(", ")));
        }
        return found;
    }
}
