package dev.autolab.nodes.node;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.autolab.common.error.Errors;
import dev.autolab.nodes.config.NodesConfig;
import dev.autolab.proto.auth.v1.AuthorizeRequest;
import dev.autolab.proto.auth.v1.AuthorizeResponse;
import dev.autolab.proto.auth.v1.MintNodeCredentialRequest;
import dev.autolab.proto.auth.v1.MintNodeCredentialResponse;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc.MutinyInternalAuthServiceStub;
import dev.autolab.proto.auth.v1.RevokeNodeCredentialsRequest;
import dev.autolab.proto.auth.v1.Role;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Uni;

/**
 * node-registry's questions to auth-service, the one credential authority. Its refusals pass through
 * with their status and message (NOT_FOUND for a project the caller cannot see, PERMISSION_DENIED
 * naming the role needed); anything else means auth-service could not answer: UNAVAILABLE, retry.
 */
@ApplicationScoped
public class AuthCalls {
    /** Disconnect reason when a node is removed (Revocations.reasons, agent.proto Disconnect.reason). */
    public static final String NODE_REMOVED = "node_removed";

    @Inject
    MutinyInternalAuthServiceStub authService;

    @Inject
    NodesConfig config;

    public Uni<AuthorizeResponse> authorize(String bearerToken, String project, Role minimum) {
        return stub().authorize(AuthorizeRequest.newBuilder()
                        .setToken(bearerToken == null ? "" : bearerToken)
                        .setProject(project)
                        .setMinimumRole(minimum)
                        .build())
                .onFailure(StatusRuntimeException.class)
                .transform(f -> explain(f, "check your role on the project"));
    }

    /** Checks the PAT's role (researcher+) and mints the node's credential, revoking its older ones. */
    public Uni<MintNodeCredentialResponse> mint(String pat, String project, UUID nodeId, String hostname) {
        return stub().mintNodeCredential(MintNodeCredentialRequest.newBuilder()
                        .setToken(pat == null ? "" : pat)
                        .setProject(project)
                        .setNodeId(nodeId.toString())
                        .setHostname(hostname)
                        .build())
                .onFailure(StatusRuntimeException.class)
                .transform(f -> explain(f, "register the node"));
    }

    /** Revokes every live credential of the node (idempotent). */
    public Uni<Void> revokeNode(UUID nodeId, String reason) {
        return stub().revokeNodeCredentials(RevokeNodeCredentialsRequest.newBuilder()
                        .setNodeId(nodeId.toString())
                        .setReason(reason)
                        .build())
                .onFailure(StatusRuntimeException.class)
                .transform(f -> explain(f, "revoke the node's credentials"))
                .replaceWithVoid();
    }

    private MutinyInternalAuthServiceStub stub() {
        return authService.withDeadlineAfter(config.authDeadline().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Throwable explain(Throwable failure, String what) {
        Status.Code code = ((StatusRuntimeException) failure).getStatus().getCode();
        return switch (code) {
            case NOT_FOUND,
                    PERMISSION_DENIED,
                    INVALID_ARGUMENT,
                    UNAUTHENTICATED,
                    RESOURCE_EXHAUSTED,
                    FAILED_PRECONDITION -> failure;
            default ->
                Errors.unavailable("node-registry cannot " + what + " right now: auth-service answered " + code
                        + "; try again shortly");
        };
    }
}
