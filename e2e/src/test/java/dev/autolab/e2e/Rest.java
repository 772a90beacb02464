package dev.autolab.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain HTTP against the gateway: what a browser or a script does. */
final class Rest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "correct horse battery";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, JsonNode json, HttpResponse<String> raw) {}

    private Rest() {}

    static Reply send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Suite.url() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("content-type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        return new Reply(r.statusCode(), json, r);
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Signs up a new user through the API and returns the handle. */
    static String signUp(String base) throws Exception {
        String handle =
                base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        Reply r = send(
                "POST",
                "/v1/users",
                JSON.createObjectNode()
                        .put("handle", handle)
                        .put("password", PASSWORD)
                        .put("email", handle + "@example.org")
                        .toString());
        if (r.status() != 200) {
            throw new AssertionError("sign-up failed: " + r.json());
        }
        return handle;
    }

    /** A browser session, as the sign-in page would get it. */
    static String session(String handle) throws Exception {
        Reply r = send(
                "POST",
                "/v1/sessions",
                JSON.createObjectNode()
                        .put("handle", handle)
                        .put("password", PASSWORD)
                        .toString());
        if (r.status() != 200) {
            throw new AssertionError("sign-in failed: " + r.json());
        }
        return r.json().path("token").asText();
    }

    static Reply approve(String session, String userCode) throws Exception {
        return send(
                "POST",
                "/v1/device/approve",
                JSON.createObjectNode().put("userCode", userCode).toString(),
                "authorization",
                bearer(session));
    }

    static String pat(String handle, String name) throws Exception {
        return send(
                        "POST",
                        "/v1/tokens",
                        JSON.createObjectNode().put("name", name).toString(),
                        "authorization",
                        bearer(session(handle)))
                .json()
                .path("secret")
                .asText();
    }
}
