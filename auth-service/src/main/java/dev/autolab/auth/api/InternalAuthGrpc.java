package dev.autolab.auth.api;

import jakarta.inject.Inject;

import dev.autolab.auth.node.NodeCredentialService;
import dev.autolab.auth.project.ProjectService;
import dev.autolab.auth.project.Role;
import dev.autolab.auth.revocation.RevocationHub;
import dev.autolab.auth.token.TokenService;
import dev.autolab.common.error.Errors;
import dev.autolab.proto.auth.v1.AuthorizeRequest;
import dev.autolab.proto.auth.v1.AuthorizeResponse;
import dev.autolab.proto.auth.v1.GetMemberRoleRequest;
import dev.autolab.proto.auth.v1.GetMemberRoleResponse;
import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.MintNodeCredentialRequest;
import dev.autolab.proto.auth.v1.MintNodeCredentialResponse;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.Principal;
import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.auth.v1.RevokeNodeCredentialsRequest;
import dev.autolab.proto.auth.v1.RevokeNodeCredentialsResponse;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * What the other services ask: uncached here, and revocations pushed to their caches as they commit.
 */
@GrpcService
public class InternalAuthGrpc extends MutinyInternalAuthServiceGrpc.InternalAuthServiceImplBase {
    @Inject
    TokenService tokens;

    @Inject
    ProjectService projects;

    @Inject
    RevocationHub revocations;

    @Inject
    NodeCredentialService nodes;

    /**
     * {@code WatchRevocations} is served on grpc-java's observer API instead of a Mutiny {@code Multi}:
     * only the observer tells whether the watcher keeps up ({@code isReady}), which the bounded
     * per-watcher buffer needs; a {@code Multi} would be written out unbounded.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition generated = super.bindService();
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(generated.getServiceDescriptor());
        for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
            if (!method.getMethodDescriptor()
                    .getFullMethodName()
                    .equals(InternalAuthServiceGrpc.getWatchRevocationsMethod().getFullMethodName())) {
                service.addMethod(method);
            }
        }
        service.addMethod(
                InternalAuthServiceGrpc.getWatchRevocationsMethod(),
                ServerCalls.asyncServerStreamingCall((request, out) ->
                        revocations.subscribe(request.getWatcher(), (ServerCallStreamObserver<Revocations>) out)));
        return service.build();
    }

    @Override
    public Uni<Principal> validateToken(ValidateTokenRequest request) {
        return tokens.validate(request.getToken()).map(dev.autolab.common.auth.Principal::toProto);
    }

    @Override
    public Uni<GetMemberRoleResponse> getMemberRole(GetMemberRoleRequest request) {
        return projects.roleOf(request.getUserId(), request.getProject())
                .map(role -> GetMemberRoleResponse.newBuilder()
                        .setRole(role == null ? dev.autolab.proto.auth.v1.Role.ROLE_UNSPECIFIED : role.toProto())
                        .build());
    }

    @Override
    public Uni<AuthorizeResponse> authorize(AuthorizeRequest request) {
        return Uni.createFrom()
                .item(() -> Role.fromProto(request.getMinimumRole()))
                .chain(minimum -> tokens.validate(request.getToken()).chain(principal -> {
                    // A browser session is answered like a PAT: which credentials a method takes is the
                    // calling service's own access policy (the dashboard binds keys with a session; node
                    // registration and node management stay PAT-only in node-registry's table).
                    if (principal.isNode()) {
                        throw Errors.permissionDenied(
                                "a node credential cannot act on projects for its user; use a personal access token");
                    }
                    return projects.authorize(principal, request.getProject(), minimum)
                            .map(role -> AuthorizeResponse.newBuilder()
                                    .setPrincipal(principal.toProto())
                                    .setRole(role.toProto())
                                    .build());
                }));
    }

    @Override
    public Uni<MintNodeCredentialResponse> mintNodeCredential(MintNodeCredentialRequest request) {
        return nodes.mint(request.getToken(), request.getProject(), request.getNodeId(), request.getHostname())
                .map(registered -> MintNodeCredentialResponse.newBuilder()
                        .setNodeCredential(registered.credential())
                        .setPrincipal(registered.principal().toProto())
                        .setRole(registered.role().toProto())
                        .build());
    }

    @Override
    public Uni<RevokeNodeCredentialsResponse> revokeNodeCredentials(RevokeNodeCredentialsRequest request) {
        return nodes.revokeNode(request.getNodeId(), request.getReason())
                .map(ids -> RevokeNodeCredentialsResponse.newBuilder()
                        .addAllTokenIds(
                                ids.stream().map(java.util.UUID::toString).toList())
                        .build());
    }
}
