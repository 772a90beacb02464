package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.google.rpc.ErrorInfo;

import dev.autolab.proto.auth.v1.ApproveDeviceRequest;
import dev.autolab.proto.auth.v1.DescribeDeviceRequest;
import dev.autolab.proto.auth.v1.DeviceCodeRequest;
import dev.autolab.proto.auth.v1.DeviceCodeResponse;
import dev.autolab.proto.auth.v1.DeviceRequestInfo;
import dev.autolab.proto.auth.v1.PollDeviceTokenRequest;
import dev.autolab.proto.auth.v1.PollDeviceTokenResponse;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Registered OAuth 2.0 clients of the device grant (RFC 8628 client_id): only they get codes, a code is
 * redeemed only by the client it was issued to, and the approval page names the client from its registration.
 * {@code test-editor} ("Test Editor") is registered in the test profile; {@code autolab-cli} is built in.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class DeviceClientsTest {
    @Inject
    TestClock clock;

    private static DeviceCodeResponse start(String clientId, String machine) {
        return Api.from(Api.devices(), Api.uniqueAddress())
                .requestDeviceCode(DeviceCodeRequest.newBuilder()
                        .setClientId(clientId)
                        .setClientName(machine)
                        .build());
    }

    private static PollDeviceTokenResponse poll(DeviceCodeResponse code, String clientId) {
        return Api.devices()
                .pollDeviceToken(PollDeviceTokenRequest.newBuilder()
                        .setDeviceCode(code.getDeviceCode())
                        .setClientId(clientId)
                        .build());
    }

    /** The status, its RFC error name (ErrorInfo reason) and message of a refused call. */
    private record Refusal(Status.Code code, String reason, String message) {}

    private static Refusal refusal(Runnable call) throws Exception {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            com.google.rpc.Status detailed = StatusProto.fromThrowable(e);
            String reason = detailed.getDetails(0).unpack(ErrorInfo.class).getReason();
            return new Refusal(e.getStatus().getCode(), reason, e.getStatus().getDescription());
        }
        throw new AssertionError("the call succeeded but should have been refused");
    }

    @Test
    void anUnknownClientGetsNoCodeAndCannotPoll() throws Exception {
        Refusal asked = refusal(() -> start("evil-app", "laptop"));
        assertEquals(Status.Code.INVALID_ARGUMENT, asked.code());
        assertEquals("invalid_client", asked.reason());
        assertEquals(
                "invalid_client: no client \"evil-app\" is registered with this Autolab; the Autolab CLI is"
                        + " autolab-cli, others are added with autolab.auth.device.clients",
                asked.message());

        DeviceCodeResponse code = start("autolab-cli", "laptop");
        Refusal polled = refusal(() -> poll(code, "evil-app"));
        assertEquals(Status.Code.INVALID_ARGUMENT, polled.code());
        assertEquals("invalid_client", polled.reason());
    }

    @Test
    void aCodeIsRedeemedOnlyByTheClientItWasIssuedTo() throws Exception {
        Api.Account alice = Api.signUp("alice");
        DeviceCodeResponse code = start("test-editor", "build-box");
        Api.devices(Api.sessionOf(alice.handle()))
                .approveDevice(ApproveDeviceRequest.newBuilder()
                        .setUserCode(code.getUserCode())
                        .build());

        Refusal other = refusal(() -> poll(code, "autolab-cli"));
        assertEquals(Status.Code.INVALID_ARGUMENT, other.code());
        assertEquals("invalid_grant", other.reason());
        assertEquals(
                "invalid_grant: this device code was issued to another client; poll with the client_id that asked"
                        + " for it",
                other.message());
        // Nor does an empty client id (the CLI's JSON route) stand in for it.
        assertEquals("invalid_grant", refusal(() -> poll(code, "")).reason());

        clock.advance(Duration.ofSeconds(code.getInterval()));
        PollDeviceTokenResponse done = poll(code, "test-editor");
        assertEquals("login@build-box", done.getToken().getName());
        assertEquals(alice.handle(), done.getHandle());
    }

    @Test
    void theApprovalPageNamesTheClientFromItsRegistrationAndTheMachine() {
        Api.Account alice = Api.signUp("alice");
        DeviceCodeResponse code = start("test-editor", "gpu-box");
        DeviceRequestInfo info = Api.devices(Api.sessionOf(alice.handle()))
                .describeDevice(DescribeDeviceRequest.newBuilder()
                        .setUserCode(code.getUserCode())
                        .build());
        assertEquals("test-editor", info.getClientId());
        assertEquals("Test Editor", info.getClientDisplayName());
        assertEquals("gpu-box", info.getClientName());
    }

    @Test
    void withoutAMachineNameTheLoginIsNamedAfterTheClient() {
        Api.Account alice = Api.signUp("alice");
        DeviceCodeResponse code = start("test-editor", "");
        Api.devices(Api.sessionOf(alice.handle()))
                .approveDevice(ApproveDeviceRequest.newBuilder()
                        .setUserCode(code.getUserCode())
                        .build());
        assertEquals("login@test-editor", poll(code, "test-editor").getToken().getName());
    }

    @Test
    void anEmptyClientIdIsTheCliAsTheJsonRoutesSendNone() {
        Api.Account alice = Api.signUp("alice");
        DeviceCodeResponse code = start("", "laptop");
        DeviceRequestInfo info = Api.devices(Api.sessionOf(alice.handle()))
                .describeDevice(DescribeDeviceRequest.newBuilder()
                        .setUserCode(code.getUserCode())
                        .build());
        assertEquals("autolab-cli", info.getClientId());
        assertEquals("Autolab CLI", info.getClientDisplayName());
        Api.devices(Api.sessionOf(alice.handle()))
                .approveDevice(ApproveDeviceRequest.newBuilder()
                        .setUserCode(code.getUserCode())
                        .build());
        assertTrue(poll(code, "autolab-cli").getAccessToken().startsWith("al_"));
    }
}
