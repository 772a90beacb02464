package dev.autolab.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** A stand-in for the gateway: answers each path with a fixed status and body. */
final class StubServer implements AutoCloseable {
    record Answer(int status, String body) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** Every request, as {@code METHOD /path}, in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The Authorization header of every request ("" when absent), in order. */
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** Every request's body, in order. */
    final List<String> bodies = new CopyOnWriteArrayList<>();

    StubServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            String authorization = exchange.getRequestHeaders().getFirst("authorization");
            authorizations.add(authorization == null ? "" : authorization);
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Answer a = answers.getOrDefault(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(),
                    new Answer(404, "{\"code\":5,\"message\":\"no such route in the stub\"}"));
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    StubServer answer(String methodAndPath, int status, String body) {
        answers.put(methodAndPath, new Answer(status, body));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
