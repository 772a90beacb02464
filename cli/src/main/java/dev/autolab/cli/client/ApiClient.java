package dev.autolab.cli.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The gateway's REST API: JSON in and out, errors as {@link ApiException} or {@link UnreachableException}. */
public final class ApiClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final int UNAVAILABLE_CODE = ApiException.UNAVAILABLE;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String host;
    private final String token;

    public ApiClient(String host, String token) {
        this.host = host;
        this.token = token;
    }

    public ApiClient withToken(String other) {
        return new ApiClient(host, other);
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    /**
     * A form POST to a standard OAuth 2.0 endpoint (RFC 6749 §3.2, RFC 8628): a refusal is an
     * {@link ApiException} whose reason is the RFC's {@code error} and whose message is its
     * {@code error_description}.
     */
    public JsonNode postForm(String path, java.util.Map<String, String> parameters) {
        StringBuilder form = new StringBuilder();
        parameters.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return send(
                "POST",
                path,
                HttpRequest.BodyPublishers.ofString(form.toString()),
                "application/x-www-form-urlencoded");
    }

    public JsonNode put(String path, JsonNode body) {
        return send("PUT", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    public JsonNode patch(String path, JsonNode body) {
        return send("PATCH", path, body);
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** One path segment, escaped. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A project name {@code owner/name} as its two escaped path segments. */
    public static String projectPath(String project) {
        int slash = project.indexOf('/');
        return slash < 0
                ? segment(project)
                : segment(project.substring(0, slash)) + "/" + segment(project.substring(slash + 1));
    }

    private JsonNode send(String method, String path, JsonNode body) {
        return body == null
                ? send(method, path, HttpRequest.BodyPublishers.noBody(), null)
                : send(method, path, HttpRequest.BodyPublishers.ofString(body.toString()), "application/json");
    }

    private JsonNode send(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host + path))
                .timeout(Duration.ofSeconds(30))
                .header("accept", "application/json")
                .method(method, body);
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            throw new UnreachableException("cannot reach " + host + " (" + describe(e) + "); is the control plane "
                    + "running? `bin/autolab-dev` starts one locally");
        } catch (HttpTimeoutException e) {
            throw new UnreachableException(host + " did not answer within 30 s");
        } catch (IOException e) {
            throw new UnreachableException("cannot reach " + host + " (" + describe(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted");
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() / 100 == 2) {
            return json;
        }
        if (json.path("error").isTextual()) {
            // An RFC 6749 §5.2 error, from the OAuth endpoints.
            String error = json.path("error").asText();
            int code = switch (response.statusCode()) {
                case 503 -> UNAVAILABLE_CODE;
                case 429 -> 8;
                case 401 -> 16;
                default -> 9;
            };
            throw new ApiException(
                    response.statusCode(), code, json.path("error_description").asText(error), error);
        }
        String message = json.path("message").asText("");
        if (message.isEmpty()) {
            message = host + " answered HTTP " + response.statusCode()
                    + switch (response.statusCode()) {
                        case 502, 504 -> " (its proxy could not reach the service); try again shortly";
                        case 503 -> " (service unavailable); try again shortly";
                        default -> "";
                    };
        }
        String reason = json.path("details").path(0).path("reason").asText("");
        throw new ApiException(response.statusCode(), json.path("code").asInt(2), message, reason);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String describe(Exception e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
