package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.google.rpc.ErrorInfo;

import dev.autolab.proto.auth.v1.ApproveDeviceRequest;
import dev.autolab.proto.auth.v1.DenyDeviceRequest;
import dev.autolab.proto.auth.v1.DeviceCodeRequest;
import dev.autolab.proto.auth.v1.DeviceCodeResponse;
import dev.autolab.proto.auth.v1.ListTokensRequest;
import dev.autolab.proto.auth.v1.PollDeviceTokenRequest;
import dev.autolab.proto.auth.v1.PollDeviceTokenResponse;
import dev.autolab.proto.auth.v1.TokenKind;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import dev.autolab.testing.Db;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class DeviceFlowTest {
    @Inject
    TestClock clock;

    private static DeviceCodeResponse start(String client) {
        return Api.devices()
                .requestDeviceCode(
                        DeviceCodeRequest.newBuilder().setClientName(client).build());
    }

    private static PollDeviceTokenResponse poll(DeviceCodeResponse code) {
        return Api.devices()
                .pollDeviceToken(PollDeviceTokenRequest.newBuilder()
                        .setDeviceCode(code.getDeviceCode())
                        .build());
    }

    /** The RFC 8628 error name a poll was refused with. */
    private static String pollError(DeviceCodeResponse code) throws Exception {
        try {
            poll(code);
        } catch (StatusRuntimeException e) {
            com.google.rpc.Status detailed = StatusProto.fromThrowable(e);
            String reason = detailed.getDetails(0).unpack(ErrorInfo.class).getReason();
            assertTrue(
                    e.getStatus().getDescription().startsWith(reason + ": "),
                    e.getStatus().getDescription());
            return reason;
        }
        throw new AssertionError("poll succeeded");
    }

    private static void approve(String session, String userCode) {
        Api.devices(session)
                .approveDevice(
                        ApproveDeviceRequest.newBuilder().setUserCode(userCode).build());
    }

    @Test
    void theWholeFlowEndsWithALoginTokenNamedAfterTheClient() throws Exception {
        Api.Account alice = Api.signUp("alice");
        DeviceCodeResponse code = start("gpu-box.lab");
        assertTrue(
                code.getUserCode().matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"), code.getUserCode());
        assertEquals("http://localhost:8080/device", code.getVerificationUri());
        assertEquals(code.getVerificationUri() + "?code=" + code.getUserCode(), code.getVerificationUriComplete());
        assertEquals(600, code.getExpiresIn());
        assertEquals("authorization_pending", pollError(code));
        assertEquals("slow_down", pollError(code));

        approve(Api.sessionOf(alice.handle()), code.getUserCode().toLowerCase().replace("-", ""));
        clock.advance(Duration.ofSeconds(code.getInterval()));
        PollDeviceTokenResponse done = poll(code);
        assertEquals(alice.handle(), done.getHandle());
        assertEquals("login@gpu-box.lab", done.getToken().getName());
        assertEquals(TokenKind.TOKEN_KIND_LOGIN, done.getToken().getKind());
        assertEquals(
                TokenKind.TOKEN_KIND_LOGIN,
                Api.users(done.getAccessToken())
                        .whoAmI(WhoAmIRequest.getDefaultInstance())
                        .getToken()
                        .getKind());
        // The device code is good for one token only.
        clock.advance(Duration.ofSeconds(code.getInterval()));
        assertEquals("invalid_grant", pollError(code));
    }

    @Test
    void aSecondLoginFromTheSameClientReplacesTheFirst() throws Exception {
        Api.Account alice = Api.signUp("alice");
        String session = Api.sessionOf(alice.handle());
        String[] tokens = new String[2];
        for (int i = 0; i < 2; i++) {
            DeviceCodeResponse code = start("laptop");
            approve(session, code.getUserCode());
            tokens[i] = poll(code).getAccessToken();
        }
        assertEquals(
                Status.Code.UNAUTHENTICATED,
                Api.refusal(() -> Api.users(tokens[0]).whoAmI(WhoAmIRequest.getDefaultInstance()))
                        .getCode());
        var history = Api.tokens(alice.token())
                .listTokens(ListTokensRequest.newBuilder().setAll(true).build());
        assertTrue(
                history.getTokensList().stream()
                        .anyMatch(t -> t.getName().equals("login@laptop")
                                && t.getRevokedReason().startsWith("replaced by a new login")),
                history.toString());
    }

    @Test
    void aDeniedRequestIsAccessDenied() throws Exception {
        Api.Account alice = Api.signUp("alice");
        DeviceCodeResponse code = start("laptop");
        Api.devices(Api.sessionOf(alice.handle()))
                .denyDevice(DenyDeviceRequest.newBuilder()
                        .setUserCode(code.getUserCode())
                        .build());
        assertEquals("access_denied", pollError(code));
    }

    @Test
    void anExpiredRequestIsExpiredTokenAndCannotBeApproved() throws Exception {
        Api.Account alice = Api.signUp("alice");
        DeviceCodeResponse code = start("laptop");
        Db.update(
                "UPDATE device_grants SET expires_at = now() - interval '1 second' WHERE user_code = ?",
                code.getUserCode());
        assertEquals("expired_token", pollError(code));
        Status s = Api.refusal(() -> approve(Api.sessionOf(alice.handle()), code.getUserCode()));
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
    }

    @Test
    void approvingNeedsABrowserSessionAndAWellFormedCode() {
        Api.Account alice = Api.signUp("alice");
        DeviceCodeResponse code = start("laptop");
        Status withPat = Api.refusal(() -> approve(alice.token(), code.getUserCode()));
        assertEquals(Status.Code.PERMISSION_DENIED, withPat.getCode());
        assertTrue(withPat.getDescription().contains("browser session"), withPat.getDescription());
        Status anonymous = Api.refusal(() -> Api.devices()
                .approveDevice(ApproveDeviceRequest.newBuilder()
                        .setUserCode(code.getUserCode())
                        .build()));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getCode());
        String session = Api.sessionOf(alice.handle());
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                Api.refusal(() -> approve(session, "AEIO-1234")).getCode());
        assertEquals(
                Status.Code.NOT_FOUND,
                Api.refusal(() -> approve(session, "BBBB-BBBB")).getCode());
    }

    @Test
    void unknownDeviceCodesAndBadClientNamesAreRefused() {
        Status unknown = Api.refusal(() -> Api.devices()
                .pollDeviceToken(PollDeviceTokenRequest.newBuilder()
                        .setDeviceCode("made-up")
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getCode());
        // (An empty name is no longer refused: the login is then named after the client; DeviceClientsTest.)
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                Api.refusal(() -> start("x".repeat(65))).getCode());
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                Api.refusal(() -> start("bad host/name")).getCode());
    }
}
