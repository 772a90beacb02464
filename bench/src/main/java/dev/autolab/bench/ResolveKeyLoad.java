package dev.autolab.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.autolab.proto.keys.v1.AddKeyRequest;
import dev.autolab.proto.keys.v1.KeyResolutionServiceGrpc;
import dev.autolab.proto.keys.v1.KeyServiceGrpc;
import dev.autolab.proto.keys.v1.ProjectLlmServiceGrpc;
import dev.autolab.proto.keys.v1.ResolveProjectKeyRequest;
import dev.autolab.proto.keys.v1.ResolvedKey;
import dev.autolab.proto.keys.v1.SetProjectLlmRequest;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.VaultStandIn;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/**
 * ResolveProjectKey against a real keys-service process, once on the built-in store and once on Vault
 * (the stand-in), each at the given concurrencies: a closed loop of outstanding calls after a warm-up.
 * The node credential comes from an in-process fake auth-service (auth-service mints node credentials
 * only with node-registry); keys-service caches the validated principal as it would the real one.
 * Usage: {@code ResolveKeyLoad POSTGRES_PORT KEYS_PORT WORK_DIR seconds concurrency...} ({@code -Dwarmup=5}).
 */
public final class ResolveKeyLoad {
    private static final int WARMUP_SECONDS = Integer.getInteger("warmup", 5);

    private ResolveKeyLoad() {}

    public static void main(String[] args) throws Exception {
        int pgPort = Integer.parseInt(args[0]);
        int keysPort = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int[] concurrencies =
                Arrays.stream(args).skip(4).mapToInt(Integer::parseInt).toArray();
        FakeAuthService auth = new FakeAuthService();
        int authPort = auth.start();
        VaultStandIn vault = new VaultStandIn("secret");
        String vaultAddress = vault.start();
        try {
            for (String store : new String[] {"local", "vault"}) {
                Map<String, String> env = new LinkedHashMap<>();
                env.put("AUTOLAB_KEYS_PORT", String.valueOf(keysPort));
                env.put("AUTOLAB_KEYS_HOST", "127.0.0.1");
                String db = store.equals("local") ? "autolab_keys" : "autolab_keys_vault";
                env.put("AUTOLAB_KEYS_DB_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + db);
                env.put("AUTOLAB_KEYS_DB_URL", "postgresql://127.0.0.1:" + pgPort + "/" + db);
                env.put("AUTOLAB_AUTH_ADDRESS", "127.0.0.1:" + authPort);
                env.put(
                        "AUTOLAB_KEYS_MASTER_KEY_FILE",
                        work.resolve("master.key").toString());
                env.put("AUTOLAB_KEYS_SECRET_STORE", store);
                env.put("VAULT_ADDR", vaultAddress);
                env.put("VAULT_TOKEN", VaultStandIn.ROOT_TOKEN);
                Process keys = start(env, work.resolve("keys-" + store + ".log"));
                try {
                    awaitReady(keysPort);
                    measure(
                            store.equals("local") ? "built-in store" : "Vault stand-in",
                            auth,
                            keysPort,
                            seconds,
                            concurrencies);
                } finally {
                    keys.destroy();
                    keys.waitFor(15, TimeUnit.SECONDS);
                }
            }
        } finally {
            vault.stop();
            auth.stop();
        }
        System.exit(0);
    }

    private static void measure(String label, FakeAuthService auth, int port, int seconds, int[] concurrencies)
            throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .build();
        try {
            FakeAuthService.Account user = auth.user("bench");
            String project = auth.project(user, "bench");
            as(KeyServiceGrpc.newBlockingStub(channel), user.token())
                    .addKey(AddKeyRequest.newBuilder()
                            .setProvider("anthropic")
                            .setName("bench")
                            .setValue("sk-ant-bench-0123456789abcdefghij")
                            .build());
            as(ProjectLlmServiceGrpc.newBlockingStub(channel), user.token())
                    .setProjectLlm(SetProjectLlmRequest.newBuilder()
                            .setProject(project)
                            .setKey("bench")
                            .build());
            var stub = as(KeyResolutionServiceGrpc.newStub(channel), auth.node(user, project));
            ResolveProjectKeyRequest request =
                    ResolveProjectKeyRequest.newBuilder().setProject(project).build();
            for (int c : concurrencies) {
                ClosedLoopLoad.Result r = ClosedLoopLoad.<ResolvedKey>measure(
                        observer -> stub.resolveProjectKey(request, observer), c, WARMUP_SECONDS, seconds);
                System.out.printf(
                        "ResolveProjectKey (%s), concurrency %d: %.0f calls/s, p50 %.3f ms, p99 %.3f ms%n",
                        label, c, r.perSecond(), r.millisAt(50), r.millisAt(99));
            }
        } finally {
            channel.shutdownNow();
        }
    }

    private static <S extends AbstractStub<S>> S as(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static Process start(Map<String, String> env, Path log) throws Exception {
        Path root = Path.of(System.getProperty("autolab.root", ".")).toAbsolutePath();
        ProcessBuilder b = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        root.resolve("keys-service/target/quarkus-app/quarkus-run.jar")
                                .toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        b.environment().putAll(env);
        Files.createDirectories(log.getParent());
        return b.start();
    }

    private static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("keys-service was not ready within 90 s");
    }
}
