package dev.autolab.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** auth-service stops mid-test: REST, gRPC and the pages answer UNAVAILABLE naming it and saying to retry; then recover. */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
class OutageTest {
    private static final String DOWN = "auth-service is unavailable; try again shortly";

    @AfterEach
    void bringItBack() throws Exception {
        FakeAuthService.up();
    }

    @Test
    void anUpstreamThatStopsIs503NamingItOverRestAndGrpcAndRecovers() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .build();
        try {
            var grpc = UserServiceGrpc.newBlockingStub(channel);
            assertEquals(200, Http.send("GET", "/v1/whoami", null).statusCode());
            assertEquals(
                    "alice",
                    grpc.withDeadlineAfter(5, TimeUnit.SECONDS)
                            .whoAmI(WhoAmIRequest.getDefaultInstance())
                            .getUser()
                            .getHandle());

            FakeAuthService.down();

            HttpResponse<String> rest = Http.send("GET", "/v1/whoami", null);
            assertEquals(503, rest.statusCode());
            assertEquals("{\"code\":14,\"message\":\"" + DOWN + "\"}", rest.body());
            StatusRuntimeException e = assertThrows(
                    StatusRuntimeException.class,
                    () -> grpc.withDeadlineAfter(5, TimeUnit.SECONDS).whoAmI(WhoAmIRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertEquals(DOWN, e.getStatus().getDescription());
            HttpResponse<String> page = Http.send(
                    "GET", "/device?code=ABCD-EFGH", null, "cookie", "autolab_session=" + FakeAuthService.SESSION);
            assertEquals(503, page.statusCode());
            assertTrue(page.body().contains(DOWN), page.body());

            FakeAuthService.up();
            assertEquals(200, Http.send("GET", "/v1/whoami", null).statusCode());
            assertEquals(
                    "alice",
                    grpc.withDeadlineAfter(5, TimeUnit.SECONDS)
                            .whoAmI(WhoAmIRequest.getDefaultInstance())
                            .getUser()
                            .getHandle());
        } finally {
            channel.shutdownNow();
        }
    }
}
