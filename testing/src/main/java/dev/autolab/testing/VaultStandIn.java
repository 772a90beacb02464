package dev.autolab.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;

/**
 * The part of Vault's HTTP API keys-service uses, for tests on machines without Vault: KV v2 at one
 * mount (write with check-and-set, read by version, delete metadata), {@code sys/health} and
 * Kubernetes login, with Vault's status codes and JSON shapes. {@link #failing(boolean)} makes it
 * answer like a sealed Vault (503) so tests can check that nothing is left half-done.
 */
public final class VaultStandIn {
    public static final String ROOT_TOKEN = "stand-in-root-token";
    public static final String K8S_JWT = "stand-in-service-account-jwt";
    public static final String K8S_ROLE = "keys-service";

    private final String mount;
    private final Map<String, TreeMap<Integer, String>> secrets = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger kubernetesLogins = new AtomicInteger();
    private volatile boolean failing;
    private HttpServer server;
    private java.util.concurrent.ExecutorService threads;

    public VaultStandIn(String mount) {
        this.mount = mount;
        tokens.put(ROOT_TOKEN, true);
    }

    public String start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/", this::handle);
        threads = Executors.newFixedThreadPool(8);
        server.setExecutor(threads);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void stop() {
        if (server != null) {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    /** Answer every request like a sealed Vault (or stop doing so). */
    public void failing(boolean fail) {
        this.failing = fail;
    }

    /** How many secrets exist (paths with at least one version). */
    public int secretCount() {
        return secrets.size();
    }

    public int writes() {
        return writes.get();
    }

    /** Successful Kubernetes logins so far. */
    public int kubernetesLogins() {
        return kubernetesLogins.get();
    }

    /** Every token issued by a Kubernetes login stops working, as when its TTL runs out (root stays). */
    public void expireLoginTokens() {
        tokens.keySet().removeIf(token -> !token.equals(ROOT_TOKEN));
    }

    /** Every stored version of every secret, as raw text (for leak and placement checks). */
    public String dump() {
        return secrets.toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring("/v1/".length());
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.equals("sys/health")) {
                health(ex);
                return;
            }
            if (failing) {
                send(ex, 503, "{\"errors\":[\"Vault is sealed\"]}");
                return;
            }
            if (path.equals("auth/kubernetes/login") && ex.getRequestMethod().equals("POST")) {
                kubernetesLogin(ex, body);
                return;
            }
            String token = ex.getRequestHeaders().getFirst("X-Vault-Token");
            if (token == null || !tokens.containsKey(token)) {
                send(ex, 403, "{\"errors\":[\"permission denied\"]}");
                return;
            }
            String data = mount + "/data/";
            String metadata = mount + "/metadata/";
            if (path.startsWith(data) && ex.getRequestMethod().equals("POST")) {
                write(ex, path.substring(data.length()), body);
            } else if (path.startsWith(data) && ex.getRequestMethod().equals("GET")) {
                read(ex, path.substring(data.length()), ex.getRequestURI().getQuery());
            } else if (path.startsWith(metadata) && ex.getRequestMethod().equals("DELETE")) {
                secrets.remove(path.substring(metadata.length()));
                send(ex, 204, null);
            } else {
                send(ex, 404, "{\"errors\":[]}");
            }
        } catch (RuntimeException e) {
            send(ex, 500, "{\"errors\":[\"" + e.getClass().getSimpleName() + "\"]}");
        }
    }

    private void health(HttpExchange ex) throws IOException {
        String json =
                "{\"initialized\":true,\"sealed\":" + failing + ",\"standby\":false,\"performance_standby\":false,"
                        + "\"replication_performance_mode\":\"disabled\",\"replication_dr_mode\":\"disabled\",\"server_time_utc\":"
                        + Instant.now().getEpochSecond() + ",\"version\":\"1.15.6\",\"cluster_name\":\"stand-in\","
                        + "\"cluster_id\":\"00000000-0000-0000-0000-000000000000\"}";
        send(ex, failing ? 503 : 200, json);
    }

    private void kubernetesLogin(HttpExchange ex, String body) throws IOException {
        JsonObject req = Json.parse(body).asObject();
        if (!K8S_ROLE.equals(req.getString("role", "")) || !K8S_JWT.equals(req.getString("jwt", ""))) {
            send(ex, 403, "{\"errors\":[\"permission denied\"]}");
            return;
        }
        String token = "s.k8s-" + java.util.UUID.randomUUID();
        tokens.put(token, true);
        kubernetesLogins.incrementAndGet();
        send(
                ex,
                200,
                "{\"request_id\":\"r\",\"lease_id\":\"\",\"renewable\":false,\"lease_duration\":0,\"data\":null,"
                        + "\"wrap_info\":null,\"warnings\":null,\"auth\":{\"client_token\":\"" + token
                        + "\",\"accessor\":\"a\","
                        + "\"policies\":[\"default\",\"keys-service\"],\"token_policies\":[\"default\",\"keys-service\"],"
                        + "\"metadata\":{\"role\":\"" + K8S_ROLE + "\"},\"lease_duration\":3600,\"renewable\":true,"
                        + "\"entity_id\":\"e\",\"token_type\":\"service\",\"orphan\":true}}");
    }

    private synchronized void write(HttpExchange ex, String key, String body) throws IOException {
        JsonObject req = Json.parse(body).asObject();
        JsonValue options = req.get("options");
        TreeMap<Integer, String> versions = secrets.get(key);
        int current = versions == null ? 0 : versions.lastKey();
        if (options != null && options.asObject().get("cas") != null) {
            int cas = options.asObject().get("cas").asInt();
            if (cas != current) {
                send(ex, 400, "{\"errors\":[\"check-and-set parameter did not match the current version\"]}");
                return;
            }
        }
        if (versions == null) {
            versions = new TreeMap<>();
            secrets.put(key, versions);
        }
        int next = current + 1;
        versions.put(next, req.get("data").asObject().toString());
        writes.incrementAndGet();
        send(
                ex,
                200,
                "{\"request_id\":\"r\",\"lease_id\":\"\",\"renewable\":false,\"lease_duration\":0,\"data\":{"
                        + "\"created_time\":\"" + Instant.now() + "\",\"custom_metadata\":null,\"deletion_time\":\"\","
                        + "\"destroyed\":false,\"version\":" + next
                        + "},\"wrap_info\":null,\"warnings\":null,\"auth\":null}");
    }

    private void read(HttpExchange ex, String key, String query) throws IOException {
        TreeMap<Integer, String> versions = secrets.get(key);
        Integer version = null;
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("version=")) {
                    version = Integer.parseInt(pair.substring("version=".length()));
                }
            }
        }
        if (versions == null) {
            send(ex, 404, "{\"errors\":[]}");
            return;
        }
        int v = version == null || version == 0 ? versions.lastKey() : version;
        String data = versions.get(v);
        if (data == null) {
            send(ex, 404, "{\"errors\":[]}");
            return;
        }
        send(
                ex,
                200,
                "{\"request_id\":\"r\",\"lease_id\":\"\",\"renewable\":false,\"lease_duration\":0,\"data\":{"
                        + "\"data\":" + data + ",\"metadata\":{\"created_time\":\"" + Instant.now()
                        + "\",\"custom_metadata\":null,"
                        + "\"deletion_time\":\"\",\"destroyed\":false,\"version\":" + v + "}},\"wrap_info\":null,"
                        + "\"warnings\":null,\"auth\":null}");
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        if (json == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
