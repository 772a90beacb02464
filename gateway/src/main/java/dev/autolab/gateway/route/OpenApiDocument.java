package dev.autolab.gateway.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAPI 3 document of the REST surface, made from the same routes and descriptors the gateway
 * transcodes with: paths from the {@code google.api.http} rules, schemas from the message descriptors
 * with proto3 JSON names and encodings (64-bit integers as strings, Timestamp as RFC 3339, enums by
 * name), errors as {@code google.rpc.Status}. A variable spanning several segments
 * ({@code project=*}{@code /*}) becomes one path parameter per segment ({@code project-1}, {@code project-2}),
 * since an OpenAPI parameter cannot hold a slash.
 */
public final class OpenApiDocument {
    public static final String PATH = "/v1/openapi.json";
    private static final String STATUS = "google.rpc.Status";

    private OpenApiDocument() {}

    public static JsonObject of(List<Route> routes) {
        TreeMap<String, JsonObject> paths = new TreeMap<>();
        TreeMap<String, JsonObject> schemas = new TreeMap<>();
        for (Route route : routes) {
            JsonObject operation = operation(route, schemas);
            paths.computeIfAbsent(openApiPath(route.path()), p -> new JsonObject())
                    .put(route.httpMethod().toLowerCase(java.util.Locale.ROOT), operation);
        }
        schemas.put(STATUS, statusSchema());
        return new JsonObject()
                .put("openapi", "3.0.3")
                .put(
                        "info",
                        new JsonObject()
                                .put("title", "Autolab API")
                                .put("version", "v1")
                                .put("description", "The REST surface of the Autolab gateway, generated from proto/."))
                .put("paths", new JsonObject(new java.util.LinkedHashMap<>(paths)))
                .put(
                        "components",
                        new JsonObject().put("schemas", new JsonObject(new java.util.LinkedHashMap<>(schemas))));
    }

    /** {@code /v1/projects/{project=*}{@code /*}/llm} as {@code /v1/projects/{project-1}/{project-2}/llm}. */
    public static String openApiPath(PathTemplate template) {
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String variable : template.variables()) {
            values.put(
                    variable,
                    String.join(
                            "/",
                            parameterNames(template, variable).stream()
                                    .map(n -> "{" + n + "}")
                                    .toList()));
        }
        return template.expand(values);
    }

    private static List<String> parameterNames(PathTemplate template, String variable) {
        String example = template.exampleValue(variable);
        String[] parts = example.split("/");
        if (parts.length == 1) {
            return List.of(variable);
        }
        List<String> names = new ArrayList<>();
        for (String part : parts) {
            names.add(part);
        }
        return names;
    }

    private static JsonObject operation(Route route, TreeMap<String, JsonObject> schemas) {
        Descriptor input = route.method().getInputType();
        JsonArray parameters = new JsonArray();
        Set<String> variables = Set.copyOf(route.path().variables());
        for (String variable : route.path().variables()) {
            FieldDescriptor field = input.findFieldByName(variable);
            List<String> names = parameterNames(route.path(), variable);
            for (String name : names) {
                parameters.add(new JsonObject()
                        .put("name", name)
                        .put("in", "path")
                        .put("required", true)
                        .put(
                                "description",
                                names.size() == 1
                                        ? "the request's " + jsonName(field, variable)
                                        : "one segment of the request's " + jsonName(field, variable) + " ("
                                                + String.join("/", names) + ")")
                        .put("schema", new JsonObject().put("type", "string")));
            }
        }
        JsonObject operation = new JsonObject()
                .put(
                        "operationId",
                        route.method().getService().getName() + "_"
                                + route.method().getName())
                .put("summary", route.method().getFullName())
                .put("tags", new JsonArray().add(route.method().getService().getName()));
        if (route.body().isEmpty()) {
            for (FieldDescriptor field : input.getFields()) {
                if (!variables.contains(field.getName()) && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                    parameters.add(new JsonObject()
                            .put("name", field.getJsonName())
                            .put("in", "query")
                            .put("required", false)
                            .put("schema", schema(field, schemas)));
                }
            }
        } else {
            Descriptor bodyType = route.body().equals("*")
                    ? input
                    : input.findFieldByName(route.body()).getMessageType();
            operation.put(
                    "requestBody",
                    new JsonObject().put("required", true).put("content", json(reference(bodyType, schemas))));
        }
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        return operation.put(
                "responses",
                new JsonObject()
                        .put(
                                "200",
                                new JsonObject()
                                        .put("description", "OK")
                                        .put(
                                                "content",
                                                json(reference(route.method().getOutputType(), schemas))))
                        .put(
                                "default",
                                new JsonObject()
                                        .put("description", "an error: the gRPC status, its HTTP mapping and a message")
                                        .put(
                                                "content",
                                                json(new JsonObject().put("$ref", "#/components/schemas/" + STATUS)))));
    }

    private static String jsonName(FieldDescriptor field, String fallback) {
        return field == null ? fallback : field.getJsonName();
    }

    private static JsonObject json(JsonObject schema) {
        return new JsonObject().put("application/json", new JsonObject().put("schema", schema));
    }

    private static JsonObject reference(Descriptor type, TreeMap<String, JsonObject> schemas) {
        if (type.getFullName().equals("google.protobuf.Timestamp")) {
            return new JsonObject().put("type", "string").put("format", "date-time");
        }
        if (!schemas.containsKey(type.getFullName())) {
            schemas.put(type.getFullName(), new JsonObject()); // placeholder: recursive types end here
            JsonObject properties = new JsonObject();
            for (FieldDescriptor field : type.getFields()) {
                properties.put(field.getJsonName(), schema(field, schemas));
            }
            schemas.put(
                    type.getFullName(), new JsonObject().put("type", "object").put("properties", properties));
        }
        return new JsonObject().put("$ref", "#/components/schemas/" + type.getFullName());
    }

    private static JsonObject schema(FieldDescriptor field, TreeMap<String, JsonObject> schemas) {
        if (field.isMapField()) {
            FieldDescriptor value = field.getMessageType().findFieldByName("value");
            return new JsonObject().put("type", "object").put("additionalProperties", single(value, schemas));
        }
        JsonObject one = single(field, schemas);
        return field.isRepeated() ? new JsonObject().put("type", "array").put("items", one) : one;
    }

    /** proto3 JSON's encoding of one value of the field's type. */
    private static JsonObject single(FieldDescriptor field, TreeMap<String, JsonObject> schemas) {
        return switch (field.getType()) {
            case INT32, SINT32, SFIXED32 ->
                new JsonObject().put("type", "integer").put("format", "int32");
            case UINT32, FIXED32 ->
                new JsonObject().put("type", "integer").put("format", "int64").put("minimum", 0);
            case INT64, SINT64, SFIXED64 ->
                new JsonObject().put("type", "string").put("format", "int64");
            case UINT64, FIXED64 -> new JsonObject().put("type", "string").put("format", "uint64");
            case BOOL -> new JsonObject().put("type", "boolean");
            case FLOAT -> new JsonObject().put("type", "number").put("format", "float");
            case DOUBLE -> new JsonObject().put("type", "number").put("format", "double");
            case STRING -> new JsonObject().put("type", "string");
            case BYTES -> new JsonObject().put("type", "string").put("format", "byte");
            case ENUM ->
                new JsonObject()
                        .put("type", "string")
                        .put(
                                "enum",
                                new JsonArray(field.getEnumType().getValues().stream()
                                        .map(EnumValueDescriptor::getName)
                                        .map(Object.class::cast)
                                        .toList()));
            case MESSAGE, GROUP -> reference(field.getMessageType(), schemas);
        };
    }

    private static JsonObject statusSchema() {
        return new JsonObject()
                .put("type", "object")
                .put(
                        "properties",
                        new JsonObject()
                                .put(
                                        "code",
                                        new JsonObject()
                                                .put("type", "integer")
                                                .put("format", "int32")
                                                .put("description", "the gRPC status code (google.rpc.Code)"))
                                .put(
                                        "message",
                                        new JsonObject()
                                                .put("type", "string")
                                                .put("description", "what was wrong and what to do"))
                                .put(
                                        "details",
                                        new JsonObject()
                                                .put("type", "array")
                                                .put("items", new JsonObject().put("type", "object"))));
    }
}
