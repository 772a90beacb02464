package dev.autolab.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;

class AccessPolicyTest {
    private final AccessPolicy policy = AccessPolicy.builder()
            .allow(MethodAccess.PUBLIC, UserServiceGrpc.getCreateUserMethod())
            .allow(MethodAccess.SESSION, DeviceServiceGrpc.getApproveDeviceMethod())
            .build();

    @Test
    void namedMethodsGetTheirAccess() {
        assertEquals(MethodAccess.PUBLIC, policy.accessFor("autolab.auth.v1.UserService/CreateUser"));
        assertEquals(MethodAccess.SESSION, policy.accessFor("autolab.auth.v1.DeviceService/ApproveDevice"));
    }

    @Test
    void everythingElseNeedsAToken() {
        assertEquals(
                MethodAccess.TOKEN,
                policy.accessFor(TokenServiceGrpc.getCreateTokenMethod().getFullMethodName()));
        assertEquals(MethodAccess.TOKEN, policy.accessFor("autolab.auth.v1.Unknown/Method"));
    }

    @Test
    void healthAndReflectionArePublic() {
        assertEquals(MethodAccess.PUBLIC, policy.accessFor("grpc.health.v1.Health/Check"));
        assertEquals(MethodAccess.PUBLIC, policy.accessFor("grpc.reflection.v1.ServerReflection/ServerReflectionInfo"));
    }
}
