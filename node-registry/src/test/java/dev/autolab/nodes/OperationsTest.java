package dev.autolab.nodes;

import static dev.autolab.nodes.support.Requests.register;
import static dev.autolab.nodes.support.Requests.registration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.autolab.nodes.support.Api;
import dev.autolab.nodes.support.FakeAuthResource;
import dev.autolab.nodes.support.NodeStream;
import dev.autolab.nodes.support.TestClock;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.PostgresTestResource;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What operators rely on: health over HTTP and gRPC, metrics and reflection, all on the one port. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_nodes"))
@WithTestResource(value = FakeAuthResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OperationsTest {
    FakeAuthService auth;

    @Inject
    TestClock clock;

    private static HttpResponse<String> get(String path) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndNodeMetricsAreServed() throws Exception {
        HttpResponse<String> ready = get("/q/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"UP\""), ready.body());
        assertEquals(200, get("/q/health/live").statusCode());

        var alice = auth.user("alice");
        String project = auth.project(alice, "metrics");
        try (NodeStream node = NodeStream.open(
                register(alice.token(), registration(project, "m")).getNodeCredential())) {
            node.next();
            clock.advance(Duration.ofSeconds(5)); // heartbeats are answered at most once per half interval
            node.heartbeat();
            node.next();
            String metrics = get("/q/metrics").body();
            assertTrue(metrics.contains("jvm_memory_used_bytes"), "prometheus format");
            assertTrue(metrics.contains("autolab_nodes_connected_streams"), "connected streams gauge");
            assertTrue(metrics.contains("autolab_nodes_heartbeats_total"), "heartbeats counter");
            assertTrue(metrics.contains("autolab_nodes_registrations_total"), "registrations counter");
        }
    }

    @Test
    void grpcHealthSaysServing() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(Api.channel())
                .check(HealthCheckRequest.newBuilder()
                        .setService("autolab.nodes.v1.NodeAgentService")
                        .build());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
    }

    @Test
    void reflectionListsTheServices() throws Exception {
        List<String> services = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(Api.channel())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        r.getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(services.contains("autolab.nodes.v1.NodeAgentService"), services.toString());
        assertTrue(services.contains("autolab.nodes.v1.NodeService"), services.toString());
    }
}
