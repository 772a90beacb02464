package dev.autolab.auth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.autolab.common.auth.MethodAccess;
import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.ProjectServiceGrpc;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.testing.SessionMethods;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;

/**
 * Exactly which auth-service methods take a browser session, as a table of method descriptors (the compiler
 * checks every name). A session is a cookie any page of the gateway's origin can use, so each method that
 * takes one is a decision: one added to AuthAccessPolicy by mistake, or a new method of a listed service that
 * falls into a session-taking rule, fails here.
 */
class AuthAccessPolicyTest {
    /** Every service auth-service serves. */
    private static final List<ServiceDescriptor> SERVICES = List.of(
            UserServiceGrpc.getServiceDescriptor(),
            SessionServiceGrpc.getServiceDescriptor(),
            DeviceServiceGrpc.getServiceDescriptor(),
            TokenServiceGrpc.getServiceDescriptor(),
            ProjectServiceGrpc.getServiceDescriptor(),
            InternalAuthServiceGrpc.getServiceDescriptor());

    /** The methods that take a session, and how; all others take none. Sign-out and device approval (the pages, session only); the dashboard's Access Tokens tab and project switcher. */
    private static final Map<MethodDescriptor<?, ?>, MethodAccess> TAKES_A_SESSION = Map.ofEntries(
            Map.entry(SessionServiceGrpc.getDeleteSessionMethod(), MethodAccess.SESSION),
            Map.entry(DeviceServiceGrpc.getDescribeDeviceMethod(), MethodAccess.SESSION),
            Map.entry(DeviceServiceGrpc.getApproveDeviceMethod(), MethodAccess.SESSION),
            Map.entry(DeviceServiceGrpc.getDenyDeviceMethod(), MethodAccess.SESSION),
            Map.entry(UserServiceGrpc.getWhoAmIMethod(), MethodAccess.TOKEN_OR_SESSION),
            Map.entry(ProjectServiceGrpc.getListProjectsMethod(), MethodAccess.TOKEN_OR_SESSION),
            Map.entry(TokenServiceGrpc.getCreateTokenMethod(), MethodAccess.TOKEN_OR_SESSION),
            Map.entry(TokenServiceGrpc.getListTokensMethod(), MethodAccess.TOKEN_OR_SESSION),
            Map.entry(TokenServiceGrpc.getRevokeTokenMethod(), MethodAccess.TOKEN_OR_SESSION));

    @Test
    void exactlyTheseMethodsTakeABrowserSession() {
        assertEquals(
                SessionMethods.byName(TAKES_A_SESSION),
                SessionMethods.grantedBy(new AuthAccessPolicy().accessPolicy(), SERVICES));
    }
}
