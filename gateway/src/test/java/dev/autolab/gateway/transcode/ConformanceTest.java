package dev.autolab.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.JavaType;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Status;

import dev.autolab.gateway.fake.AnyMethodUpstream;
import dev.autolab.gateway.fake.Http;
import dev.autolab.gateway.route.Route;
import dev.autolab.gateway.route.RouteTable;
import io.grpc.Status.Code;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The REST contract, derived from the {@code google.api.http} rules at test time: every route gets a valid
 * call, each path variable missing, a method the path does not allow, an unknown field, a bad enum name and
 * a wrong JSON type (where the request has such a field), each asserting the HTTP status and the
 * {@code google.rpc.Status} body. A new route in proto/ is covered without new test code.
 */
@QuarkusTest
@WithTestResource(AnyMethodUpstream.class)
class ConformanceTest {
    private static final List<String> VERBS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final String JSON = "application/json";

    @Inject
    RouteTable table;

    @TestFactory
    Stream<DynamicContainer> everyRoute() {
        assertTrue(
                table.routes().size() >= 20,
                "the routes of proto/ were loaded: " + table.routes().size());
        return table.routes().stream()
                .map(route -> DynamicContainer.dynamicContainer(
                        route.httpMethod() + " " + route.path() + " (" + route.fullMethodName() + ")", cases(route)));
    }

    private Stream<DynamicTest> cases(Route route) {
        List<DynamicTest> cases = new ArrayList<>();
        cases.add(test("a valid call reaches the method with its path variables", () -> validCall(route)));
        for (String variable : route.path().variables()) {
            cases.add(test("without " + variable + " there is no API", () -> missingVariable(route, variable)));
        }
        cases.add(test("another method is 405 naming the allowed ones", () -> wrongMethod(route)));
        if (route.body().isEmpty()) {
            cases.add(test("a body is refused", () -> unwantedBody(route)));
            cases.add(test("an unknown query parameter is refused", () -> unknownQueryParameter(route)));
            queryable(route).stream()
                    .filter(f -> f.getJavaType() == JavaType.ENUM)
                    .findFirst()
                    .ifPresent(f ->
                            cases.add(test("a bad enum name in " + f.getJsonName(), () -> badQueryEnum(route, f))));
            queryable(route).stream()
                    .filter(f -> f.getJavaType() != JavaType.STRING && f.getJavaType() != JavaType.ENUM)
                    .findFirst()
                    .ifPresent(
                            f -> cases.add(test("a wrong type in " + f.getJsonName(), () -> badQueryType(route, f))));
        } else {
            Descriptor type = bodyType(route);
            cases.add(test(
                    "an unknown JSON field is refused", () -> badBody(route, "{\"noSuchField\":1}", "noSuchField")));
            type.getFields().stream()
                    .filter(f -> f.getJavaType() == JavaType.ENUM)
                    .findFirst()
                    .ifPresent(f -> cases.add(test(
                            "a bad enum name in " + f.getJsonName(),
                            () -> badBody(route, "{\"" + f.getJsonName() + "\":\"NO_SUCH_VALUE\"}", "NO_SUCH_VALUE"))));
            type.getFields().stream()
                    .findFirst()
                    .ifPresent(f -> cases.add(test(
                            "a wrong JSON type in " + f.getJsonName(),
                            () -> badBody(route, "{\"" + f.getJsonName() + "\":" + wrongJson(f) + "}", ""))));
            cases.add(test("malformed JSON is refused", () -> badBody(route, "{\"", "")));
        }
        return cases.stream();
    }

    private static DynamicTest test(String name, Executable check) {
        return DynamicTest.dynamicTest(name, check);
    }

    private static Map<String, String> examples(Route route) {
        Map<String, String> values = new LinkedHashMap<>();
        route.path().variables().forEach(v -> values.put(v, route.path().exampleValue(v)));
        return values;
    }

    private static String examplePath(Route route) {
        return route.path().expand(examples(route));
    }

    private void validCall(Route route) throws Exception {
        Map<String, String> values = examples(route);
        String path = route.path().expand(values);
        int before = AnyMethodUpstream.requests(route.fullMethodName()).size();
        HttpResponse<String> reply =
                Http.send(route.httpMethod(), path, route.body().isEmpty() ? null : "{}", "content-type", JSON);
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals(JSON, reply.headers().firstValue("content-type").orElse(""));
        // The fake answers every field at its default, which proto3 JSON leaves out.
        assertEquals("{}", reply.body());
        List<byte[]> requests = AnyMethodUpstream.requests(route.fullMethodName());
        assertEquals(before + 1, requests.size(), "one call reached " + route.fullMethodName());
        DynamicMessage sent =
                DynamicMessage.parseFrom(route.method().getInputType(), requests.get(requests.size() - 1));
        for (Map.Entry<String, String> variable : values.entrySet()) {
            FieldDescriptor field = route.method().getInputType().findFieldByName(variable.getKey());
            assertEquals(variable.getValue(), sent.getField(field), variable.getKey());
        }
    }

    private void missingVariable(Route route, String variable) throws Exception {
        Map<String, String> values = examples(route);
        values.put(variable, "");
        String path = route.path().expand(values);
        assertStatus(
                Http.send(route.httpMethod(), path, null),
                404,
                Code.NOT_FOUND,
                "no API at " + path + "; see the API reference in proto/");
    }

    private void wrongMethod(Route route) throws Exception {
        String path = examplePath(route);
        TreeSet<String> allowed = table.routes().stream()
                .filter(r -> r.path().match(path) != null)
                .map(Route::httpMethod)
                .collect(Collectors.toCollection(TreeSet::new));
        String wrong =
                VERBS.stream().filter(v -> !allowed.contains(v)).findFirst().orElseThrow();
        HttpResponse<String> reply = Http.send(wrong, path, null);
        assertStatus(
                reply,
                405,
                Code.UNIMPLEMENTED,
                wrong + " is not allowed on " + path + "; use " + String.join(" or ", allowed));
        assertEquals(Optional.of(String.join(", ", allowed)), reply.headers().firstValue("allow"));
    }

    private void unwantedBody(Route route) throws Exception {
        assertStatus(
                Http.send(route.httpMethod(), examplePath(route), "{\"a\":1}", "content-type", JSON),
                400,
                Code.INVALID_ARGUMENT,
                route.httpMethod() + " " + route.path()
                        + " takes no request body; pass parameters in the query string");
    }

    private void unknownQueryParameter(Route route) throws Exception {
        HttpResponse<String> reply = Http.send(route.httpMethod(), examplePath(route) + "?noSuchField=1", null);
        String takes =
                queryable(route).stream().map(FieldDescriptor::getJsonName).collect(Collectors.joining(", "));
        assertStatus(
                reply,
                400,
                Code.INVALID_ARGUMENT,
                "unknown query parameter 'noSuchField'; this call takes: " + (takes.isEmpty() ? "none" : takes));
    }

    private void badQueryEnum(Route route, FieldDescriptor field) throws Exception {
        String name = field.getJsonName();
        String values =
                field.getEnumType().getValues().stream().map(v -> v.getName()).collect(Collectors.joining(", "));
        assertStatus(
                Http.send(route.httpMethod(), examplePath(route) + "?" + name + "=NO_SUCH_VALUE", null),
                400,
                Code.INVALID_ARGUMENT,
                "parameter '" + name + "': \"NO_SUCH_VALUE\" is not a valid enum (expected one of " + values + ")");
    }

    private void badQueryType(Route route, FieldDescriptor field) throws Exception {
        String name = field.getJsonName();
        Status status = assertStatus(
                Http.send(route.httpMethod(), examplePath(route) + "?" + name + "=not-a-value", null),
                400,
                Code.INVALID_ARGUMENT,
                null);
        assertTrue(
                status.getMessage().startsWith("parameter '" + name + "': \"not-a-value\" is not a valid "),
                status.getMessage());
    }

    /** A body the gateway refuses: 400 naming the request type, and {@code mentions} when given. */
    private void badBody(Route route, String body, String mentions) throws Exception {
        int before = AnyMethodUpstream.requests(route.fullMethodName()).size();
        Status status = assertStatus(
                Http.send(route.httpMethod(), examplePath(route), body, "content-type", JSON),
                400,
                Code.INVALID_ARGUMENT,
                null);
        String prefix = "invalid JSON body for " + bodyType(route).getName() + ": ";
        assertTrue(status.getMessage().startsWith(prefix), status.getMessage());
        assertTrue(status.getMessage().length() > prefix.length() + 5, "says what is wrong: " + status.getMessage());
        assertTrue(status.getMessage().contains(mentions), status.getMessage());
        assertEquals(before, AnyMethodUpstream.requests(route.fullMethodName()).size(), "no call went upstream");
    }

    /** A JSON value of the wrong kind for the field. */
    private static String wrongJson(FieldDescriptor field) {
        if (field.isRepeated() || field.getJavaType() == JavaType.MESSAGE) {
            return "\"text\"";
        }
        return field.getJavaType() == JavaType.STRING ? "{\"x\":1}" : "\"not-a-value\"";
    }

    private static Descriptor bodyType(Route route) {
        Descriptor input = route.method().getInputType();
        return route.body().equals("*")
                ? input
                : input.findFieldByName(route.body()).getMessageType();
    }

    private static List<FieldDescriptor> queryable(Route route) {
        List<String> variables = route.path().variables();
        return route.method().getInputType().getFields().stream()
                .filter(f -> !variables.contains(f.getName()) && f.getJavaType() != JavaType.MESSAGE)
                .toList();
    }

    /** Asserts the status, the JSON content type and a google.rpc.Status body with the code (and message). */
    private static Status assertStatus(HttpResponse<String> reply, int http, Code code, String message)
            throws Exception {
        assertEquals(http, reply.statusCode(), reply.body());
        assertEquals(JSON, reply.headers().firstValue("content-type").orElse(""));
        Status.Builder status = Status.newBuilder();
        JsonFormat.parser().merge(reply.body(), status);
        assertEquals(code.value(), status.getCode(), reply.body());
        if (message != null) {
            assertEquals(message, status.getMessage());
        }
        return status.build();
    }
}
