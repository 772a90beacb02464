package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import dev.autolab.proto.auth.v1.WhoAmIResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;

/** The gateway in front of the real auth-service: one test per transcoding rule, and native gRPC. */
class GatewayTest {

    private static JsonNode body(String json) throws Exception {
        return Rest.JSON.readTree(json);
    }

    @Test
    void bodyStarTakesBothFieldNameStylesAndAnswersInCamelCase() throws Exception {
        String session = Rest.session(Rest.signUp("dora"));
        Rest.Reply snake = Rest.send(
                "POST", "/v1/tokens", "{\"name\":\"a\",\"expires_in_days\":7}", "authorization", Rest.bearer(session));
        Rest.Reply camel = Rest.send(
                "POST", "/v1/tokens", "{\"name\":\"b\",\"expiresInDays\":7}", "authorization", Rest.bearer(session));
        assertEquals(200, snake.status(), snake.json().toString());
        assertEquals(200, camel.status(), camel.json().toString());
        assertTrue(
                snake.json().path("token").has("expiresAt")
                        && snake.json().path("token").has("createdAt"),
                snake.json().toString());
        assertFalse(snake.json().path("token").has("expires_at"));
    }

    @Test
    void singleAndMultiSegmentPathVariables() throws Exception {
        String handle = Rest.signUp("erik");
        String pat = Rest.pat(handle, "main");
        assertEquals(
                200,
                Rest.send(
                                "POST",
                                "/v1/tokens",
                                "{\"name\":\"ci@box.lab\"}",
                                "authorization",
                                Rest.bearer(Rest.session(handle)))
                        .status());
        Rest.Reply revoked = Rest.send("DELETE", "/v1/tokens/ci%40box.lab", null, "authorization", Rest.bearer(pat));
        assertEquals(200, revoked.status(), revoked.json().toString());
        assertEquals("ci@box.lab", revoked.json().path("name").asText());

        Rest.send("POST", "/v1/projects", "{\"name\":\"nanochat\"}", "authorization", Rest.bearer(pat));
        Rest.Reply members = Rest.send(
                "GET", "/v1/projects/" + handle + "/nanochat/members", null, "authorization", Rest.bearer(pat));
        assertEquals(200, members.status(), members.json().toString());
        assertEquals(
                handle, members.json().path("members").path(0).path("handle").asText());
        assertEquals(
                "ROLE_OWNER",
                members.json().path("members").path(0).path("role").asText());
    }

    @Test
    void queryParametersAndTheirErrors() throws Exception {
        String pat = Rest.pat(Rest.signUp("fay"), "main");
        assertEquals(
                200,
                Rest.send("GET", "/v1/tokens?all=true", null, "authorization", Rest.bearer(pat))
                        .status());
        Rest.Reply unknown = Rest.send("GET", "/v1/tokens?everything=1", null, "authorization", Rest.bearer(pat));
        assertEquals(400, unknown.status());
        assertEquals(3, unknown.json().path("code").asInt());
        assertTrue(unknown.json().path("message").asText().contains("unknown query parameter 'everything'"));
        Rest.Reply badValue = Rest.send("GET", "/v1/tokens?all=perhaps", null, "authorization", Rest.bearer(pat));
        assertEquals(400, badValue.status());
    }

    @Test
    void unknownJsonFieldsAreRefusedBeforeReachingTheService() throws Exception {
        Rest.Reply r = Rest.send("POST", "/v1/users", "{\"handle\":\"x\",\"isAdmin\":true}");
        assertEquals(400, r.status());
        assertTrue(
                r.json().path("message").asText().contains("isAdmin"), r.json().toString());
        assertEquals(400, Rest.send("POST", "/v1/users", "{not json").status());
    }

    @Test
    void noRouteWrongMethodAndTooLargeAreJson() throws Exception {
        Rest.Reply none = Rest.send("GET", "/v1/nowhere", null);
        assertEquals(404, none.status());
        assertEquals(5, none.json().path("code").asInt());
        Rest.Reply wrong = Rest.send("PATCH", "/v1/tokens", "{}");
        assertEquals(405, wrong.status());
        assertEquals("GET, POST", wrong.raw().headers().firstValue("allow").orElse(""));
        assertTrue(wrong.json().path("message").asText().contains("PATCH is not allowed"));
        Rest.Reply large = Rest.send("POST", "/v1/users", "{\"handle\":\"" + "x".repeat(1_100_000) + "\"}");
        assertEquals(413, large.status());
        assertTrue(large.json().has("message"), large.json().toString());
    }

    @Test
    void serviceErrorsKeepCodeMessageAndDetails() throws Exception {
        Rest.Reply unauthenticated = Rest.send("GET", "/v1/whoami", null);
        assertEquals(401, unauthenticated.status());
        assertEquals(16, unauthenticated.json().path("code").asInt());
        assertTrue(unauthenticated.json().path("message").asText().contains("autolab login"));

        String deviceCode = Rest.send("POST", "/v1/device/code", "{\"clientName\":\"box\"}")
                .json()
                .path("deviceCode")
                .asText();
        Rest.Reply pending = Rest.send("POST", "/v1/device/token", "{\"deviceCode\":\"" + deviceCode + "\"}");
        assertEquals(400, pending.status());
        JsonNode detail = pending.json().path("details").path(0);
        assertEquals(
                "type.googleapis.com/google.rpc.ErrorInfo", detail.path("@type").asText());
        assertEquals("authorization_pending", detail.path("reason").asText());
    }

    @Test
    void requestIdsAreKeptOrMadeAndReturned() throws Exception {
        Rest.Reply given = Rest.send("GET", "/v1/whoami", null, "x-request-id", "trace-123");
        assertEquals(
                "trace-123", given.raw().headers().firstValue("x-request-id").orElse(""));
        Rest.Reply made = Rest.send("GET", "/v1/whoami", null);
        assertTrue(made.raw().headers().firstValue("x-request-id").orElse("").matches("[0-9a-f-]{36}"));
    }

    @Test
    void signInSetsAnHttpOnlySessionCookieAndNeverLogsTokens() throws Exception {
        String handle = Rest.signUp("gail");
        Rest.Reply r = Rest.send(
                "POST", "/v1/sessions", "{\"handle\":\"" + handle + "\",\"password\":\"" + Rest.PASSWORD + "\"}");
        String cookie = r.raw().headers().firstValue("set-cookie").orElse("");
        assertTrue(cookie.startsWith("autolab_session=" + r.json().path("token").asText()), cookie);
        assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        String pat = Rest.pat(handle, "main");
        Rest.send("GET", "/v1/whoami", null, "authorization", Rest.bearer(pat));
        for (var service : Suite.get().services()) {
            String log = java.nio.file.Files.readString(service.log());
            assertFalse(
                    log.contains(pat) || log.contains(r.json().path("token").asText()),
                    "a token appears in " + service.log());
            assertFalse(log.contains(Rest.PASSWORD), "a password appears in " + service.log());
        }
    }

    @Test
    void nativeGrpcIsPassedThroughToTheOwningService() throws Exception {
        URI gateway = URI.create(Suite.url());
        ManagedChannel channel = ManagedChannelBuilder.forAddress(gateway.getHost(), gateway.getPort())
                .usePlaintext()
                .build();
        try {
            String handle = "hal-" + System.nanoTime() % 100000;
            UserServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .createUser(CreateUserRequest.newBuilder()
                            .setHandle(handle)
                            .setPassword(Rest.PASSWORD)
                            .setEmail("h@example.org")
                            .build());
            Metadata headers = new Metadata();
            headers.put(
                    Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                    Rest.bearer(Rest.pat(handle, "grpc")));
            WhoAmIResponse me = UserServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .whoAmI(WhoAmIRequest.getDefaultInstance());
            assertEquals(handle, me.getUser().getHandle());
            StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    StatusRuntimeException.class,
                    () -> UserServiceGrpc.newBlockingStub(channel).whoAmI(WhoAmIRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
        } finally {
            channel.shutdownNow();
        }
    }
}
