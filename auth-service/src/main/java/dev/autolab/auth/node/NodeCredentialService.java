package dev.autolab.auth.node;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.autolab.auth.project.ProjectName;
import dev.autolab.auth.project.ProjectRepository;
import dev.autolab.auth.project.ProjectService;
import dev.autolab.auth.project.Role;
import dev.autolab.auth.token.NodeCascades;
import dev.autolab.auth.token.TokenService;
import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.Errors;
import io.smallrye.mutiny.Uni;

/**
 * The credentials of execution nodes ({@code aln_…}), for node-registry: minted at registration with
 * the registering user's PAT, which must be researcher+ on the project, and revoked when the node is
 * removed. A credential acts for its node on its project only (the principal names both), never
 * outlives the PAT that registered it, and dies with it or with the user's role ({@link NodeCascades}).
 */
@ApplicationScoped
public class NodeCredentialService {
    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    TokenService tokens;

    @Inject
    ProjectRepository projects;

    @Inject
    NodeCascades cascades;

    @Inject
    NodeLocks locks;

    @Inject
    Clock clock;

    /** A new node credential (its value exists nowhere else), its principal, and the user's role. */
    public record Registered(String credential, Principal principal, Role role) {}

    private record Request(ProjectName project, UUID nodeId, String hostname) {}

    private record Removal(UUID nodeId, String reason) {}

    public Uni<Registered> mint(String token, String project, String nodeId, String hostname) {
        return Uni.createFrom()
                .item(() -> new Request(
                        ProjectName.parse(project), NodeInputs.nodeId(nodeId), NodeInputs.hostname(hostname)))
                .chain(request -> tokens.validate(token).chain(registering -> {
                    if (registering.isSession()) {
                        throw Errors.permissionDenied("a browser session cannot register a node; use a personal"
                                + " access token (`autolab token create`, or `autolab login`)");
                    }
                    if (registering.isNode()) {
                        throw Errors.permissionDenied("a node credential cannot register a node; register with a"
                                + " personal access token (AUTOLAB_TOKEN, or `autolab login`)");
                    }
                    return sessions.withTransaction(session -> mintChecked(session, registering, request));
                }));
    }

    private Uni<Registered> mintChecked(Mutiny.Session session, Principal registering, Request request) {
        Instant now = clock.instant();
        UUID userId = UUID.fromString(registering.userId());
        return locks.node(session, request.nodeId())
                .chain(() -> locks.liveToken(session, UUID.fromString(registering.tokenId()), now))
                .chain(live -> {
                    if (!live) {
                        // Revoked (or expired) since it was validated a moment ago.
                        throw Errors.unauthenticated("the token \"" + registering.tokenName()
                                + "\" was revoked or expired just now; sign in again with `autolab login`");
                    }
                    return projects.find(session, request.project());
                })
                .chain(found -> {
                    if (found == null) {
                        throw ProjectService.notFound(request.project());
                    }
                    return locks.membership(session, found.id, userId).chain(role -> {
                        if (role == null) {
                            throw ProjectService.notFound(request.project());
                        }
                        if (!role.atLeast(Role.RESEARCHER)) {
                            throw Errors.permissionDenied("registering a node on " + request.project() + " needs the "
                                    + Role.RESEARCHER.label() + " role or higher; " + registering.handle() + " is "
                                    + role.label());
                        }
                        return locks.otherProject(session, request.nodeId(), found.id)
                                .invoke(taken -> {
                                    if (taken) {
                                        throw Errors.failedPrecondition("node " + request.nodeId()
                                                + " belongs to another project; register it under a new node id");
                                    }
                                })
                                .chain(() -> cascades.nodeReregistered(session, request.nodeId(), found.id, now))
                                .chain(() -> tokens.mintNode(
                                        session,
                                        registering,
                                        new TokenService.NodeBinding(
                                                request.nodeId(),
                                                found.id,
                                                request.project().toString(),
                                                request.hostname()),
                                        now))
                                .map(minted -> new Registered(
                                        minted.secret(),
                                        new Principal(
                                                registering.userId(),
                                                registering.handle(),
                                                minted.credential().id.toString(),
                                                minted.credential().name,
                                                minted.credential().kind.toProto(),
                                                minted.credential().expiresAt,
                                                request.nodeId().toString(),
                                                request.project().toString()),
                                        role));
                    });
                });
    }

    /** Revokes every live credential of a node, with {@code reason} ({@code node_removed} when empty); idempotent. */
    public Uni<List<UUID>> revokeNode(String nodeId, String reason) {
        return Uni.createFrom()
                .item(() -> new Removal(NodeInputs.nodeId(nodeId), NodeInputs.reason(reason)))
                .chain(removal -> sessions.withTransaction(session -> locks.node(session, removal.nodeId())
                        .chain(() -> cascades.nodeRevoked(session, removal.nodeId(), removal.reason(), clock.instant()))
                        .map(revoked -> revoked.ids())));
    }
}
