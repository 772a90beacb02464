package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The gateway's edge in front of the real auth-service (that the call never reaches it: AllowListTest). */
class EdgeTest {
    @Test
    void validateTokenIsNotReachableThroughTheGateway() throws Exception {
        String handle = Rest.signUp("ines");
        String pat = Rest.pat(handle, "probe");
        URI gateway = URI.create(Suite.url());
        ManagedChannel channel = ManagedChannelBuilder.forAddress(gateway.getHost(), gateway.getPort()).usePlaintext()
                .build();
        try {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> InternalAuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .validateToken(ValidateTokenRequest.newBuilder().setToken(pat).build()));
            assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
            assertTrue(refused.getStatus().getDescription().contains("internal to the Autolab services"));
            assertFalse(refused.getStatus().getDescription().contains(handle), "the token's user leaked");
        } finally {
            channel.shutdownNow();
        }
    }
}
