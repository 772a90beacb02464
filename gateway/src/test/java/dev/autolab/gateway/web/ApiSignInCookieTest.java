package dev.autolab.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** POST /v1/sessions sets the browser cookie only for a same-origin JSON request: no login CSRF. */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
class ApiSignInCookieTest {
    private static final String BODY = "{\"handle\":\"mallory\",\"password\":\"right password\"}";

    private static List<String> sessionCookies(HttpResponse<String> reply) {
        return reply.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith(SessionCookie.NAME + "="))
                .toList();
    }

    @Test
    void aJsonRequestWithoutOriginGetsTheCookie() throws Exception {
        HttpResponse<String> reply = Http.send("POST", "/v1/sessions", BODY, "content-type", "application/json");
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals(1, sessionCookies(reply).size(), reply.headers().toString());
        assertTrue(sessionCookies(reply).get(0).toLowerCase().contains("httponly"));
    }

    @Test
    void aJsonRequestFromTheGatewaysOwnOriginGetsTheCookie() throws Exception {
        HttpResponse<String> reply = Http.send(
                "POST", "/v1/sessions", BODY, "content-type", "application/json; charset=utf-8", "origin", Http.base());
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals(1, sessionCookies(reply).size());
    }

    @Test
    void aTextPlainBodyGetsNoCookie() throws Exception {
        // What a cross-site <form enctype="text/plain"> or a no-preflight fetch can send.
        HttpResponse<String> reply = Http.send("POST", "/v1/sessions", BODY, "content-type", "text/plain");
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals(List.of(), sessionCookies(reply));
    }

    @Test
    void aFormBodyGetsNoCookie() throws Exception {
        HttpResponse<String> reply =
                Http.send("POST", "/v1/sessions", BODY, "content-type", "application/x-www-form-urlencoded");
        assertEquals(List.of(), sessionCookies(reply));
    }

    @Test
    void aForeignOriginGetsNoCookieEvenForJson() throws Exception {
        HttpResponse<String> reply = Http.send(
                "POST", "/v1/sessions", BODY, "content-type", "application/json", "origin", "https://evil.example");
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals(List.of(), sessionCookies(reply));
    }

    @Test
    void aLookalikeOriginGetsNoCookie() throws Exception {
        HttpResponse<String> reply = Http.send(
                "POST",
                "/v1/sessions",
                BODY,
                "content-type",
                "application/json",
                "origin",
                Http.base() + ".evil.example");
        assertEquals(List.of(), sessionCookies(reply));
    }
}
