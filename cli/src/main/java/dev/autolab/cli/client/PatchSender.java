package dev.autolab.cli.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * PATCH, which {@link java.net.HttpURLConnection} refuses to send. Only {@code keys limit} and
 * {@code keys rotate} patch, so only they load {@code java.net.http}.
 */
final class PatchSender {
    record Reply(int status, String body) {}

    private PatchSender() {}

    static Reply send(String url, String token, String json, int timeoutMillis) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMillis(timeoutMillis))
                .header("accept", "application/json")
                .header("content-type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (java.net.http.HttpConnectTimeoutException e) {
            throw new java.net.SocketTimeoutException("connect timed out");
        } catch (HttpTimeoutException e) {
            throw new java.net.SocketTimeoutException("Read timed out");
        } catch (java.nio.channels.UnresolvedAddressException e) {
            throw new java.net.UnknownHostException(url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
