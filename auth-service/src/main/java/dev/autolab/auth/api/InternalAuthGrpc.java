package dev.autolab.auth.api;

import jakarta.inject.Inject;

import dev.autolab.auth.project.ProjectService;
import dev.autolab.auth.project.Role;
import dev.autolab.auth.token.TokenService;
import dev.autolab.common.error.Errors;
import dev.autolab.proto.auth.v1.AuthorizeRequest;
import dev.autolab.proto.auth.v1.AuthorizeResponse;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.Principal;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** What the other services ask: uncached here, so their caches see revocations within their TTL. */
@GrpcService
public class InternalAuthGrpc extends MutinyInternalAuthServiceGrpc.InternalAuthServiceImplBase {
    @Inject
    TokenService tokens;
    @Inject
    ProjectService projects;

    @Override
    public Uni<Principal> validateToken(ValidateTokenRequest request) {
        return tokens.validate(request.getToken()).map(dev.autolab.common.auth.Principal::toProto);
    }

    @Override
    public Uni<AuthorizeResponse> authorize(AuthorizeRequest request) {
        return Uni.createFrom().item(() -> Role.fromProto(request.getMinimumRole()))
                .chain(minimum -> tokens.validate(request.getToken()).chain(principal -> {
                    if (principal.isSession()) {
                        throw Errors.permissionDenied("a browser session cannot act on projects; use a personal access token");
                    }
                    return projects.authorize(principal, request.getProject(), minimum)
                            .map(role -> AuthorizeResponse.newBuilder()
                                    .setPrincipal(principal.toProto())
                                    .setRole(role.toProto())
                                    .build());
                }));
    }
}
