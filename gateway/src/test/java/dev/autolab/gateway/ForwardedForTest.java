package dev.autolab.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** With no trusted proxy configured, a client's x-forwarded-for never changes the address the services see. */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
class ForwardedForTest {
    @Test
    void rotatingForwardedForOverRestDoesNotChangeTheForwardedAddress() throws Exception {
        for (String forged : new String[] {"203.0.113.1", "203.0.113.2, 198.51.100.9", "10.0.0.1"}) {
            HttpResponse<String> reply =
                    Http.send("GET", "/v1/whoami", null, "x-forwarded-for", forged, "forwarded", "for=203.0.113.3");
            assertEquals(200, reply.statusCode(), reply.body());
            assertTrue(reply.body().contains("\"displayName\":\"127.0.0.1\""), reply.body());
        }
    }

    @Test
    void rotatingForwardedForOverGrpcDoesNotChangeTheForwardedAddress() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        for (String forged : new String[] {"203.0.113.1", "203.0.113.2, 198.51.100.9"}) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), forged);
            ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port)
                    .usePlaintext()
                    .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .build();
            try {
                assertEquals(
                        "127.0.0.1",
                        UserServiceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(5, TimeUnit.SECONDS)
                                .whoAmI(WhoAmIRequest.getDefaultInstance())
                                .getUser()
                                .getDisplayName());
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
