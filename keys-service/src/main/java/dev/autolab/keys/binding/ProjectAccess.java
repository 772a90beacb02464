package dev.autolab.keys.binding;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.autolab.common.error.Errors;
import dev.autolab.keys.config.KeysConfig;
import dev.autolab.proto.auth.v1.AuthorizeRequest;
import dev.autolab.proto.auth.v1.AuthorizeResponse;
import dev.autolab.proto.auth.v1.GetMemberRoleRequest;
import dev.autolab.proto.auth.v1.GetMemberRoleResponse;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc.MutinyInternalAuthServiceStub;
import dev.autolab.proto.auth.v1.Role;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Uni;

/**
 * Asks auth-service whether the caller's token holds a role on a project. Its refusals pass through
 * unchanged: NOT_FOUND for a project the caller cannot see, PERMISSION_DENIED naming the role needed.
 */
@ApplicationScoped
public class ProjectAccess {
    @Inject
    MutinyInternalAuthServiceStub authService;

    @Inject
    KeysConfig config;

    public Uni<AuthorizeResponse> require(String bearerToken, String project, Role minimum) {
        return authService
                .withDeadlineAfter(config.authDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .authorize(AuthorizeRequest.newBuilder()
                        .setToken(bearerToken)
                        .setProject(project == null ? "" : project)
                        .setMinimumRole(minimum)
                        .build())
                .onFailure(StatusRuntimeException.class)
                .transform(ProjectAccess::explain);
    }

    /** The role {@code userId} holds on {@code project} now (ROLE_UNSPECIFIED when none), asked of auth-service. */
    public Uni<Role> roleOf(java.util.UUID userId, String project) {
        return authService
                .withDeadlineAfter(config.authDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .getMemberRole(GetMemberRoleRequest.newBuilder()
                        .setUserId(userId.toString())
                        .setProject(project)
                        .build())
                .map(GetMemberRoleResponse::getRole)
                .onFailure(StatusRuntimeException.class)
                .transform(ProjectAccess::explain);
    }

    private static Throwable explain(Throwable failure) {
        Status.Code code = ((StatusRuntimeException) failure).getStatus().getCode();
        return switch (code) {
            case NOT_FOUND, PERMISSION_DENIED, INVALID_ARGUMENT, UNAUTHENTICATED -> failure;
            default ->
                Errors.unavailable(
                        "cannot check your role on the project: auth-service answered " + code + "; try again shortly");
        };
    }
}
