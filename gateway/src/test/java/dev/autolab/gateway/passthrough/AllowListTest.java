package dev.autolab.gateway.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeAuthService.class)
class AllowListTest {
    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .build();
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    @Test
    void anInternalServiceIsRefusedAtTheEdgeAndNeverReachesTheService() {
        String validate = InternalAuthServiceGrpc.getValidateTokenMethod().getFullMethodName();
        int before = FakeAuthService.calls(validate);
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class,
                () -> InternalAuthServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .validateToken(ValidateTokenRequest.newBuilder()
                                .setToken("al_stolen")
                                .build()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertEquals(
                "autolab.auth.v1.InternalAuthService is internal to the Autolab services and not reachable"
                        + " through the gateway",
                e.getStatus().getDescription());
        assertEquals(before, FakeAuthService.calls(validate), "the internal call reached auth-service");
    }

    @Test
    void aPublicServiceOfTheSameUpstreamStillPassesThrough() {
        String whoami = UserServiceGrpc.getWhoAmIMethod().getFullMethodName();
        int before = FakeAuthService.calls(whoami);
        assertEquals(
                "alice",
                UserServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .whoAmI(WhoAmIRequest.getDefaultInstance())
                        .getUser()
                        .getHandle());
        assertEquals(before + 1, FakeAuthService.calls(whoami), "the counter does not see calls");
    }

    @Test
    void anUnknownServiceIsUnimplemented() {
        // A made-up service in an Autolab package: owned by auth-service's prefix, but not on the list.
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class,
                () -> io.grpc.stub.ClientCalls.blockingUnaryCall(
                        channel,
                        InternalAuthServiceGrpc.getValidateTokenMethod().toBuilder()
                                .setFullMethodName("autolab.auth.v1.AdminService/DropEverything")
                                .build(),
                        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                        ValidateTokenRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("autolab.auth.v1.AdminService"));
    }

    @Test
    void everyAllowedServiceHasAnOwner() {
        var upstreams = io.quarkus.arc.Arc.container()
                .instance(dev.autolab.gateway.upstream.Upstreams.class)
                .get();
        for (String service : PublicServices.all()) {
            assertTrue(upstreams.forService(service) != null, service + " has no upstream");
        }
    }

    @Test
    void aGrpcRequestOnAPathThatIsNoMethodIsUnimplementedNotA500() throws Exception {
        // found by the e2e fuzz: Vert.x cannot split /signup into service and method
        var reply =
                dev.autolab.gateway.fake.Http.send("PUT", "/signup", "x", "content-type", "application/grpc-web+proto");
        assertEquals(200, reply.statusCode());
        assertEquals("12", reply.headers().firstValue("grpc-status").orElse(""));
    }
}
