package dev.autolab.auth.api;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.autolab.common.auth.AccessPolicy;
import dev.autolab.common.auth.MethodAccess;
import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.ProjectServiceGrpc;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;

/** Which credential each auth-service method takes; anything not listed needs a personal access token. */
public class AuthAccessPolicy {

    @Produces
    @Singleton
    AccessPolicy accessPolicy() {
        return AccessPolicy.builder()
                .allow(
                        MethodAccess.PUBLIC,
                        UserServiceGrpc.getCreateUserMethod(),
                        SessionServiceGrpc.getCreateSessionMethod(),
                        DeviceServiceGrpc.getRequestDeviceCodeMethod(),
                        DeviceServiceGrpc.getPollDeviceTokenMethod(),
                        // The credential to check travels in the request body.
                        InternalAuthServiceGrpc.getValidateTokenMethod(),
                        InternalAuthServiceGrpc.getAuthorizeMethod(),
                        InternalAuthServiceGrpc.getGetMemberRoleMethod(),
                        // node-registry's, with the registering PAT in the body (checked there);
                        // internal like the rest: the gateway never passes InternalAuthService.
                        InternalAuthServiceGrpc.getMintNodeCredentialMethod(),
                        InternalAuthServiceGrpc.getRevokeNodeCredentialsMethod(),
                        // Services have no credential of their own; it says only which ids stopped
                        // working, and the gateway does not pass internal services through.
                        InternalAuthServiceGrpc.getWatchRevocationsMethod())
                .allow(
                        MethodAccess.SESSION,
                        SessionServiceGrpc.getDeleteSessionMethod(),
                        DeviceServiceGrpc.getDescribeDeviceMethod(),
                        DeviceServiceGrpc.getApproveDeviceMethod(),
                        DeviceServiceGrpc.getDenyDeviceMethod())
                // The dashboard's Access Tokens tab, and its project switcher (reading only), work with a
                // browser session.
                .allow(
                        MethodAccess.TOKEN_OR_SESSION,
                        UserServiceGrpc.getWhoAmIMethod(),
                        ProjectServiceGrpc.getListProjectsMethod(),
                        TokenServiceGrpc.getCreateTokenMethod(),
                        TokenServiceGrpc.getListTokensMethod(),
                        TokenServiceGrpc.getRevokeTokenMethod())
                .build();
    }
}
