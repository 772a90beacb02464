package dev.autolab.nodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.Heartbeat;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.PostgresProvider;
import dev.autolab.testing.PostgresServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

/**
 * A rough probe (not a test, not the benchmark): the packaged node-registry in its own JVM with a
 * capped heap, N node streams heartbeating against it, and its heap after a full GC. Run with
 * {@code java -cp <test class path> dev.autolab.nodes.ScaleProbe N XMX SECONDS}.
 */
public final class ScaleProbe {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        String xmx = args[1];
        int seconds = Integer.parseInt(args[2]);
        PostgresServer pg = PostgresProvider.server();
        String db = PostgresProvider.createDatabase("autolab_nodes");
        FakeAuthService auth = new FakeAuthService();
        int authPort = auth.start();
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(
                        "java", "-Xmx" + xmx, "-jar", "node-registry/target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("/tmp/scale-probe-node-registry.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("AUTOLAB_NODES_PORT", Integer.toString(port));
        env.put("AUTOLAB_NODES_HOST", "127.0.0.1");
        env.put("AUTOLAB_DB_USER", pg.user());
        env.put("AUTOLAB_DB_PASSWORD", pg.password());
        env.put("AUTOLAB_NODES_DB_JDBC_URL", pg.jdbcUrl(db));
        env.put("AUTOLAB_NODES_DB_URL", pg.reactiveUrl(db));
        env.put("AUTOLAB_AUTH_ADDRESS", "127.0.0.1:" + authPort);
        Process registry = pb.start();
        try {
            waitReady(port);
            var owner = auth.user("owner");
            String project = auth.project(owner, "farm");
            List<String> credentials = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), pg.password());
                    PreparedStatement s = c.prepareStatement(
                            "INSERT INTO nodes (id, project, machine_id, hostname, registered_by, registered_by_user,"
                                    + " registered_at) VALUES (?::uuid, ?, ?, ?, ?, ?::uuid, now())")) {
                for (int i = 0; i < n; i++) {
                    String credential = auth.node(owner, project);
                    credentials.add(credential);
                    s.setString(1, auth.principalOf(credential).getNodeId());
                    s.setString(2, project);
                    s.setString(3, "m-" + i);
                    s.setString(4, "n-" + i);
                    s.setString(5, owner.handle());
                    s.setString(6, owner.userId());
                    s.addBatch();
                }
                s.executeBatch();
            }
            int channels = 16;
            List<ManagedChannel> pool = new ArrayList<>();
            for (int i = 0; i < channels; i++) {
                pool.add(NettyChannelBuilder.forAddress("127.0.0.1", port)
                        .usePlaintext()
                        .build());
            }
            AtomicInteger leases = new AtomicInteger();
            long[] revokedAt = {0};
            AtomicInteger ended = new AtomicInteger();
            List<StreamObserver<NodeMessage>> streams = new ArrayList<>();
            long opened = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Metadata h = new Metadata();
                h.put(
                        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                        "Bearer " + credentials.get(i));
                var stub = NodeAgentServiceGrpc.newStub(pool.get(i % channels))
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
                streams.add(stub.connect(new StreamObserver<>() {
                    @Override
                    public void onNext(ControlMessage m) {
                        if (m.hasLease()) {
                            leases.incrementAndGet();
                        } else {
                            System.out.printf(
                                    "disconnect %s, %.1f ms after the revocation was pushed%n",
                                    m.getDisconnect().getReason(), (System.nanoTime() - revokedAt[0]) / 1e6);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.incrementAndGet();
                    }

                    @Override
                    public void onCompleted() {
                        ended.incrementAndGet();
                    }
                }));
                if (i % 200 == 199) {
                    Thread.sleep(20); // pacing the connect burst, not waiting for time to pass
                }
            }
            while (leases.get() < n && System.nanoTime() - opened < TimeUnit.SECONDS.toNanos(120)) {
                Thread.sleep(200);
            }
            System.out.printf(
                    "%d streams granted a lease in %.1f s (%d ended)%n",
                    leases.get(), (System.nanoTime() - opened) / 1e9, ended.get());
            NodeMessage beat = NodeMessage.newBuilder()
                    .setHeartbeat(Heartbeat.getDefaultInstance())
                    .build();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                long round = System.nanoTime();
                for (StreamObserver<NodeMessage> s : streams) {
                    synchronized (s) {
                        s.onNext(beat);
                    }
                }
                System.out.printf("heartbeat round: leases so far %d, ended %d%n", leases.get(), ended.get());
                Thread.sleep(Math.max(0, 10_000 - (System.nanoTime() - round) / 1_000_000));
            }
            // Under that load, one node's credential dies: how soon is it told?
            revokedAt[0] = System.nanoTime();
            auth.revokeWithReason(credentials.get(n / 2), "role_lost");
            Thread.sleep(3000); // the disconnect is printed by the stream's observer when it arrives
            String pid = Long.toString(registry.pid());
            run("jcmd", pid, "GC.run");
            System.out.println(run("jcmd", pid, "GC.heap_info"));
            System.out.println("ended streams: " + ended.get());
            String online = query(pg, db, "SELECT count(*) FROM nodes WHERE lease_expires_at > now()");
            System.out.println("online in PostgreSQL (flushed): " + online);
            pool.forEach(ManagedChannel::shutdownNow);
        } finally {
            registry.destroy();
            registry.waitFor(10, TimeUnit.SECONDS);
            auth.stop();
        }
    }

    private static String query(PostgresServer pg, String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), pg.password());
                var r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private static void waitReady(int port) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            try {
                var r = client.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node-registry did not start; see /tmp/scale-probe-node-registry.log "
                + Files.exists(Path.of("/tmp/scale-probe-node-registry.log")));
    }
}
