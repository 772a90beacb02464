package dev.autolab.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.autolab.cli.json.Json;

/**
 * The gateway's REST API: JSON in and out, errors as {@link ApiException} or {@link UnreachableException}.
 * Over {@link HttpURLConnection}: {@code java.net.http} is some 260 classes more to load and sets up TLS
 * even for a plain-http call, which a person waits for at every command. The one method it lacks,
 * PATCH, goes through {@link PatchSender} (loaded by the commands that patch alone).
 */
public final class ApiClient {
    private static final int UNAVAILABLE_CODE = ApiException.UNAVAILABLE;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    private final String host;
    private final String token;

    public ApiClient(String host, String token) {
        this.host = host;
        this.token = token;
    }

    public ApiClient withToken(String other) {
        return new ApiClient(host, other);
    }

    public Json get(String path) {
        return send("GET", path, null, null);
    }

    public Json post(String path, Json body) {
        return send("POST", path, body.toString(), "application/json");
    }

    /**
     * A form POST to a standard OAuth 2.0 endpoint (RFC 6749 §3.2, RFC 8628): a refusal is an
     * {@link ApiException} whose reason is the RFC's {@code error} and whose message is its
     * {@code error_description}.
     */
    public Json postForm(String path, Map<String, String> parameters) {
        StringBuilder form = new StringBuilder();
        parameters.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return send("POST", path, form.toString(), "application/x-www-form-urlencoded");
    }

    public Json put(String path, Json body) {
        return send("PUT", path, body.toString(), "application/json");
    }

    public Json delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Json patch(String path, Json body) {
        try {
            PatchSender.Reply reply = PatchSender.send(host + path, token, body.toString(), READ_TIMEOUT_MS);
            return answer(reply.status(), reply.body());
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    public static Json object() {
        return Json.object();
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

    private Json send(String method, String path, String body, String contentType) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) new URL(host + path).openConnection();
            connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
            connection.setReadTimeout(READ_TIMEOUT_MS);
            // A redirect would carry the token elsewhere; java.net.http never followed them either.
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestMethod(method);
            connection.setRequestProperty("accept", "application/json");
            if (token != null) {
                connection.setRequestProperty("authorization", "Bearer " + token);
            }
            if (body != null) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(bytes.length);
                connection.setRequestProperty("content-type", contentType);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String text = "";
            if (in != null) {
                try (in) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return answer(status, text);
        } catch (IOException e) {
            throw unreachable(e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private UnreachableException unreachable(IOException e) {
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return new UnreachableException("cannot reach " + host + " (" + describe(e) + "); is the control plane "
                    + "running? `bin/autolab-dev` starts one locally");
        }
        if (e instanceof SocketTimeoutException
                && !String.valueOf(e.getMessage()).contains("connect")) {
            return new UnreachableException(host + " did not answer within 30 s");
        }
        return new UnreachableException("cannot reach " + host + " (" + describe(e) + ")");
    }

    private Json answer(int status, String body) {
        Json json = Json.parseOrEmpty(body);
        if (status / 100 == 2) {
            return json;
        }
        if (json.path("error").isTextual()) {
            // An RFC 6749 §5.2 error, from the OAuth endpoints.
            String error = json.path("error").asText();
            int code = switch (status) {
                case 503 -> UNAVAILABLE_CODE;
                case 429 -> 8;
                case 401 -> 16;
                default -> 9;
            };
            throw new ApiException(status, code, json.path("error_description").asText(error), error);
        }
        String message = json.path("message").asText("");
        if (message.isEmpty()) {
            message = host + " answered HTTP " + status
                    + switch (status) {
                        case 502, 504 -> " (its proxy could not reach the service); try again shortly";
                        case 503 -> " (service unavailable); try again shortly";
                        default -> "";
                    };
        }
        String reason = json.path("details").path(0).path("reason").asText("");
        throw new ApiException(status, json.path("code").asInt(2), message, reason);
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer within 5 s";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
