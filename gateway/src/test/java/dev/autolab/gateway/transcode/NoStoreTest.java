package dev.autolab.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** No answer of the REST API is kept by a browser or a shared cache: successes and every kind of error. */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
class NoStoreTest {
    private static void assertNoStore(HttpResponse<String> reply, int status) {
        assertEquals(status, reply.statusCode(), reply.body());
        assertEquals(
                "no-store",
                reply.headers().firstValue("cache-control").orElse(""),
                reply.uri().toString());
    }

    @Test
    void everyApiAnswerSaysNoStore() throws Exception {
        String json = "application/json";
        assertNoStore(
                Http.send(
                        "POST",
                        "/v1/sessions",
                        "{\"handle\":\"alice\",\"password\":\"right password\"}",
                        "content-type",
                        json),
                200);
        assertNoStore(
                Http.send(
                        "POST", "/v1/sessions", "{\"handle\":\"alice\",\"password\":\"wrong\"}", "content-type", json),
                401);
        assertNoStore(Http.send("POST", "/v1/sessions", "{not json", "content-type", json), 400);
        assertNoStore(Http.send("GET", "/v1/no-such-thing", null), 404);
        assertNoStore(Http.send("PUT", "/v1/sessions", "{}", "content-type", json), 405);
    }
}
