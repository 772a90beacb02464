package dev.autolab.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import dev.autolab.gateway.route.Route;
import dev.autolab.gateway.route.RouteTable;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What an operator and a client developer see: per-route metrics, which service is down, and the OpenAPI
 * document. Only auth-service runs here (the fake); keys-service and node-registry point at a closed port.
 */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
class OperabilityTest {
    @Inject
    RouteTable routes;

    @Test
    void metricsCountEachRouteByItsTemplate() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, Http.send("GET", "/v1/whoami", null).statusCode());
        }
        assertEquals(503, Http.send("DELETE", "/v1/keys/some-secret-name", null).statusCode());
        String metrics = Http.send("GET", "/q/metrics", null).body();
        String whoami = "autolab_gateway_requests_seconds_count{route=\"GET /v1/whoami\",status=\"200\"}";
        assertTrue(count(metrics, whoami) >= 3, metrics);
        assertTrue(
                metrics.contains("autolab_gateway_requests_seconds_bucket{route=\"GET /v1/whoami\",status=\"200\",le="),
                "a latency histogram");
        assertTrue(
                count(metrics, "autolab_gateway_requests_seconds_count{route=\"DELETE /v1/keys/{ref}\",status=\"503\"}")
                        >= 1,
                "by template");
        assertTrue(!metrics.contains("some-secret-name"), "never the raw path");
    }

    @Test
    void readinessNamesTheServiceThatIsDown() throws Exception {
        HttpResponse<String> reply = Http.send("GET", "/q/health/ready", null);
        assertEquals(200, reply.statusCode(), "one service reachable: the gateway still serves its routes");
        JsonObject upstreams = new JsonObject(reply.body())
                .getJsonArray("checks").stream()
                        .map(JsonObject.class::cast)
                        .filter(c -> c.getString("name").equals("upstreams"))
                        .findFirst()
                        .orElseThrow();
        assertEquals("UP", upstreams.getString("status"));
        assertEquals(
                new JsonObject()
                        .put("auth-service", "UP")
                        .put("keys-service", "DOWN")
                        .put("node-registry", "DOWN"),
                upstreams.getJsonObject("data"));
    }

    @Test
    void theOpenApiDocumentHasEveryRoute() throws Exception {
        HttpResponse<String> reply = Http.send("GET", "/v1/openapi.json", null);
        assertEquals(200, reply.statusCode());
        assertEquals(
                "application/json", reply.headers().firstValue("content-type").orElse(""));
        JsonObject doc = new JsonObject(reply.body());
        assertEquals("3.0.3", doc.getString("openapi"));
        JsonObject paths = doc.getJsonObject("paths");
        for (Route route : routes.routes()) {
            String path = dev.autolab.gateway.route.OpenApiDocument.openApiPath(route.path());
            JsonObject operation = paths.getJsonObject(path, new JsonObject())
                    .getJsonObject(route.httpMethod().toLowerCase());
            assertNotNull(operation, route.httpMethod() + " " + path);
            assertEquals(
                    route.method().getService().getName() + "_" + route.method().getName(),
                    operation.getString("operationId"));
        }
        // Path variables, one segment each; a body by reference; proto3 JSON names and encodings.
        JsonArray revoke =
                paths.getJsonObject("/v1/tokens/{ref}").getJsonObject("delete").getJsonArray("parameters");
        assertEquals("path", revoke.getJsonObject(0).getString("in"));
        assertEquals("ref", revoke.getJsonObject(0).getString("name"));
        JsonObject llm = paths.getJsonObject("/v1/projects/{project-1}/{project-2}/llm");
        assertNotNull(llm, paths.fieldNames().toString());
        assertEquals(
                "#/components/schemas/autolab.auth.v1.CreateTokenRequest",
                paths.getJsonObject("/v1/tokens")
                        .getJsonObject("post")
                        .getJsonObject("requestBody")
                        .getJsonObject("content")
                        .getJsonObject("application/json")
                        .getJsonObject("schema")
                        .getString("$ref"));
        JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
        JsonObject user = schemas.getJsonObject("autolab.auth.v1.User").getJsonObject("properties");
        assertTrue(user.containsKey("displayName"), "lowerCamelCase JSON names: " + user.fieldNames());
        assertTrue(schemas.containsKey("google.rpc.Status"));
        assertEquals(
                "#/components/schemas/google.rpc.Status",
                paths.getJsonObject("/v1/whoami")
                        .getJsonObject("get")
                        .getJsonObject("responses")
                        .getJsonObject("default")
                        .getJsonObject("content")
                        .getJsonObject("application/json")
                        .getJsonObject("schema")
                        .getString("$ref"));
    }

    private static double count(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
