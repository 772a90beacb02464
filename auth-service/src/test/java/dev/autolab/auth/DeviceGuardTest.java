package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.ApproveDeviceRequest;
import dev.autolab.proto.auth.v1.DescribeDeviceRequest;
import dev.autolab.proto.auth.v1.DeviceCodeRequest;
import dev.autolab.proto.auth.v1.DeviceCodeResponse;
import dev.autolab.proto.auth.v1.DeviceRequestInfo;
import dev.autolab.proto.auth.v1.DeviceServiceGrpc.DeviceServiceBlockingStub;
import dev.autolab.proto.auth.v1.PollDeviceTokenRequest;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The device flow against guessing and phishing (RFC 8628 §5.1, §5.4). */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class DeviceGuardTest {

    private static DeviceCodeResponse start(String address, String client) {
        return Api.from(Api.devices(), address)
                .requestDeviceCode(
                        DeviceCodeRequest.newBuilder().setClientName(client).build());
    }

    private static DeviceRequestInfo describe(DeviceServiceBlockingStub browser, String code) {
        return browser.describeDevice(
                DescribeDeviceRequest.newBuilder().setUserCode(code).build());
    }

    @Test
    void theApprovalPageLearnsWhoAsksFromWhereAndWhoWouldApprove() {
        Api.Account alice = Api.signUp("alice");
        String cliAddress = Api.uniqueAddress();
        DeviceCodeResponse code = start(cliAddress, "gpu-box");
        DeviceServiceBlockingStub browser = Api.from(Api.devices(Api.sessionOf(alice.handle())), Api.uniqueAddress());
        DeviceRequestInfo info = describe(browser, code.getUserCode().toLowerCase(java.util.Locale.ROOT));
        assertEquals(code.getUserCode(), info.getUserCode());
        assertEquals("gpu-box", info.getClientName());
        assertEquals(cliAddress, info.getClientAddress());
        assertEquals(alice.handle(), info.getSignedInAs());
        assertTrue(info.getExpiresAt().getSeconds() - info.getRequestedAt().getSeconds() == 600, info.toString());
        assertFalse(info.getReplacesLiveLogin(), "no login from gpu-box yet");

        browser.approveDevice(ApproveDeviceRequest.newBuilder()
                .setUserCode(code.getUserCode())
                .build());
        Api.devices()
                .pollDeviceToken(PollDeviceTokenRequest.newBuilder()
                        .setDeviceCode(code.getDeviceCode())
                        .build());
        DeviceCodeResponse again = start(cliAddress, "gpu-box");
        assertTrue(
                describe(browser, again.getUserCode()).getReplacesLiveLogin(),
                "approving again would replace the live login@gpu-box");
    }

    @Test
    void describingNeedsABrowserSession() {
        Api.Account alice = Api.signUp("alice");
        DeviceCodeResponse code = start(Api.uniqueAddress(), "laptop");
        Status withPat = Api.refusal(() -> describe(Api.devices(alice.token()), code.getUserCode()));
        assertEquals(Status.Code.PERMISSION_DENIED, withPat.getCode());
        assertEquals(
                Status.Code.UNAUTHENTICATED,
                Api.refusal(() -> describe(Api.devices(), code.getUserCode())).getCode());
    }

    @Test
    void guessingCodesStopsAfterTenMissesPerSessionEvenForTheRightCode() {
        Api.Account mallory = Api.signUp("mallory");
        DeviceCodeResponse victims = start(Api.uniqueAddress(), "victim-box");
        DeviceServiceBlockingStub guesser = Api.from(Api.devices(Api.sessionOf(mallory.handle())), Api.uniqueAddress());
        for (int i = 0; i < 10; i++) {
            Status miss = Api.refusal(() -> describe(guesser, "BBBB-BBBB"));
            assertEquals(Status.Code.NOT_FOUND, miss.getCode(), miss.toString());
        }
        Status stopped = Api.refusal(() -> guesser.approveDevice(ApproveDeviceRequest.newBuilder()
                .setUserCode(victims.getUserCode())
                .build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, stopped.getCode());
        assertTrue(
                stopped.getDescription().startsWith("too many wrong sign-in codes; try again in"),
                stopped.getDescription());
    }

    @Test
    void guessingFromOneAddressWithManySessionsStopsToo() {
        String address = Api.uniqueAddress();
        for (int i = 0; i < 10; i++) {
            DeviceServiceBlockingStub fresh =
                    Api.from(Api.devices(Api.sessionOf(Api.signUp("m").handle())), address);
            assertEquals(
                    Status.Code.NOT_FOUND,
                    Api.refusal(() -> describe(fresh, "CCCC-CCCC")).getCode());
        }
        DeviceServiceBlockingStub eleventh =
                Api.from(Api.devices(Api.sessionOf(Api.signUp("m").handle())), address);
        assertEquals(
                Status.Code.RESOURCE_EXHAUSTED,
                Api.refusal(() -> describe(eleventh, "CCCC-CCCC")).getCode());
    }

    @Test
    void rightCodesCostNothing() {
        Api.Account alice = Api.signUp("alice");
        DeviceServiceBlockingStub browser = Api.from(Api.devices(Api.sessionOf(alice.handle())), Api.uniqueAddress());
        String cli = Api.uniqueAddress();
        for (int i = 0; i < 15; i++) {
            describe(browser, start(cli, "box-" + i).getUserCode());
        }
    }

    @Test
    void oneAddressCannotFloodDeviceCodeRequests() {
        String address = Api.uniqueAddress();
        for (int i = 0; i < 30; i++) {
            start(address, "flood");
        }
        Status flooded = Api.refusal(() -> start(address, "flood"));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, flooded.getCode());
        assertTrue(
                flooded.getDescription().startsWith("too many sign-in requests from this address; try again in"),
                flooded.getDescription());
        // Somebody else is not affected.
        start(Api.uniqueAddress(), "laptop");
    }
}
