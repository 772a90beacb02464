package dev.autolab.auth.api;

import jakarta.inject.Inject;

import dev.autolab.auth.device.DeviceFlowService;
import dev.autolab.common.auth.Caller;
import dev.autolab.proto.auth.v1.ApproveDeviceRequest;
import dev.autolab.proto.auth.v1.DenyDeviceRequest;
import dev.autolab.proto.auth.v1.DescribeDeviceRequest;
import dev.autolab.proto.auth.v1.DeviceCodeRequest;
import dev.autolab.proto.auth.v1.DeviceCodeResponse;
import dev.autolab.proto.auth.v1.DeviceDecision;
import dev.autolab.proto.auth.v1.DeviceRequestInfo;
import dev.autolab.proto.auth.v1.MutinyDeviceServiceGrpc;
import dev.autolab.proto.auth.v1.PollDeviceTokenRequest;
import dev.autolab.proto.auth.v1.PollDeviceTokenResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

@GrpcService
public class DeviceGrpc extends MutinyDeviceServiceGrpc.DeviceServiceImplBase {
    @Inject
    DeviceFlowService devices;

    @Override
    public Uni<DeviceCodeResponse> requestDeviceCode(DeviceCodeRequest request) {
        return devices.start(request.getClientId(), request.getClientName(), ClientAddress.current())
                .map(started -> DeviceCodeResponse.newBuilder()
                        .setDeviceCode(started.deviceCode())
                        .setUserCode(started.userCode())
                        .setVerificationUri(started.verificationUri())
                        .setVerificationUriComplete(started.verificationUriComplete())
                        .setExpiresIn((int) started.expiresIn().toSeconds())
                        .setInterval((int) Math.max(1, started.interval().toSeconds()))
                        .build());
    }

    @Override
    public Uni<PollDeviceTokenResponse> pollDeviceToken(PollDeviceTokenRequest request) {
        return devices.poll(request.getDeviceCode(), request.getClientId())
                .map(done -> PollDeviceTokenResponse.newBuilder()
                        .setAccessToken(done.token().secret())
                        .setToken(Protos.token(done.token().credential()))
                        .setHandle(done.handle())
                        .build());
    }

    @Override
    public Uni<DeviceRequestInfo> describeDevice(DescribeDeviceRequest request) {
        return devices.describe(Caller.current(), request.getUserCode(), ClientAddress.current())
                .map(pending -> DeviceRequestInfo.newBuilder()
                        .setUserCode(pending.userCode())
                        .setClientName(pending.clientName())
                        .setClientId(pending.client().id())
                        .setClientDisplayName(pending.client().name())
                        .setClientAddress(pending.clientAddress())
                        .setRequestedAt(Protos.timestamp(pending.requestedAt()))
                        .setExpiresAt(Protos.timestamp(pending.expiresAt()))
                        .setSignedInAs(pending.signedInAs())
                        .setReplacesLiveLogin(pending.replacesLiveLogin())
                        .build());
    }

    @Override
    public Uni<DeviceDecision> approveDevice(ApproveDeviceRequest request) {
        return devices.approve(Caller.current(), request.getUserCode(), ClientAddress.current())
                .map(client -> DeviceDecision.newBuilder()
                        .setClientName(client)
                        .setApproved(true)
                        .build());
    }

    @Override
    public Uni<DeviceDecision> denyDevice(DenyDeviceRequest request) {
        return devices.deny(Caller.current(), request.getUserCode(), ClientAddress.current())
                .map(client -> DeviceDecision.newBuilder()
                        .setClientName(client)
                        .setApproved(false)
                        .build());
    }
}
