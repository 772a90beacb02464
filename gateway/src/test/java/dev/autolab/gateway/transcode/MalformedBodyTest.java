package dev.autolab.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A body the gateway cannot decode is the client's error: 4xx with a google.rpc.Status body, never a 500. */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
class MalformedBodyTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "POST | /v1/sessions | application/x-www-form-urlencoded | %zz&a=%",
                "POST | /v1/sessions | application/x-www-form-urlencoded | a=%E0%A4%A",
                "POST | /v1/tokens   | application/x-www-form-urlencoded | name=%",
                "POST | /v1/sessions | multipart/form-data; boundary=xyz  | --xyz garbage --xyz--",
                "POST | /v1/sessions | multipart/form-data                | whatever",
                "POST | /v1/sessions | application/json                   | {\"handle\":",
                "POST | /v1/sessions | text/plain                         | \u0000\u0001",
                "POST | /signin      | application/x-www-form-urlencoded | %zz&csrf=%",
                "POST | /device      | application/x-www-form-urlencoded | code=%%%",
                // found by the e2e fuzz: form decoding of a GET, a charset no one has
                "GET  | /v1/whoami   | multipart/form-data                | x",
                "GET  | /v1/tokens   | application/x-www-form-urlencoded | a=b",
                "POST | /v1/sessions | application/json; charset=klingon  | {}",
            })
    void aMalformedBodyIsA4xxStatusNotA500(String method, String path, String type, String body) throws Exception {
        HttpResponse<String> reply = Http.send(method, path, body, "content-type", type);
        assertTrue(reply.statusCode() >= 400 && reply.statusCode() < 500, reply.statusCode() + " " + reply.body());
        if (path.startsWith("POST | /v1/")) {
            assertEquals(
                    "application/json",
                    reply.headers().firstValue("content-type").orElse(""));
            assertTrue(reply.body().matches("\\{\"code\":(3|16|5),\"message\":\".+\"}"), reply.body());
        }
    }
}
