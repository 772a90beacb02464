package dev.autolab.auth.token;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.autolab.auth.revocation.CredentialsRevoked;
import dev.autolab.auth.revocation.RevocationPublisher;
import dev.autolab.auth.revocation.RevocationReasons;
import io.smallrye.mutiny.Uni;

/**
 * Revokes node credentials, with their reason, when what they hang on goes away: the token that
 * registered them, their user's role on the project, the project, or the node itself. Each call
 * runs inside its cause's transaction (the caller's {@code session}) and queues the announcement
 * there, so the cascade commits, and is announced, together with its cause or not at all.
 *
 * <p>Lock order: a cause changes its own row first (the token, the membership) and only then the
 * node credentials, the order in which {@code MintNodeCredential} locks them too, so that the two
 * wait for each other instead of deadlocking, and a mint that races a cause is either seen by the
 * cascade or refused.
 *
 * <p>No local event follows the commit (as {@code TokenService} fires for tokens): this replica's
 * cache never holds a node credential, since its interceptor refuses them before any lookup. The
 * notification reaches every replica's watchers, node-registry among them.
 */
@ApplicationScoped
public class NodeCascades {
    private static final String REVOKE = "UPDATE credentials SET revoked_at = :now, revoked_reason = :reason"
            + " WHERE kind = 'NODE' AND revoked_at IS NULL AND ";

    @Inject
    RevocationPublisher publisher;

    /** The node credentials registered with any of {@code tokenIds} ({@code token_revoked}). */
    public Uni<CredentialsRevoked> tokensRevoked(Mutiny.Session session, List<UUID> tokenIds, Instant now) {
        if (tokenIds.isEmpty()) {
            return Uni.createFrom().item(new CredentialsRevoked(List.of()));
        }
        return revoke(
                session,
                "source_token_id IN (:ids)",
                q -> q.setParameter("ids", tokenIds),
                RevocationReasons.TOKEN_REVOKED,
                now);
    }

    /** A user's node credentials on a project they left or dropped below researcher on ({@code role_lost}). */
    public Uni<CredentialsRevoked> roleLost(Mutiny.Session session, UUID projectId, UUID userId, Instant now) {
        return revoke(
                session,
                "project_id = :project AND user_id = :user",
                q -> q.setParameter("project", projectId).setParameter("user", userId),
                RevocationReasons.ROLE_LOST,
                now);
    }

    /** Every node credential of a deleted project: its members lost their roles with it ({@code role_lost}). */
    public Uni<CredentialsRevoked> projectDeleted(Mutiny.Session session, UUID projectId, Instant now) {
        return revoke(
                session,
                "project_id = :project",
                q -> q.setParameter("project", projectId),
                RevocationReasons.ROLE_LOST,
                now);
    }

    /**
     * The unrevoked credentials of a node being registered again on {@code projectId}
     * ({@code node_reregistered}). Only that project's: a node id is one project's, and a mint naming
     * another project's node must not be able to cut that node off (see {@code NodeLocks#otherProject}).
     */
    public Uni<CredentialsRevoked> nodeReregistered(Mutiny.Session session, UUID nodeId, UUID projectId, Instant now) {
        return revoke(
                session,
                "node_id = :node AND project_id = :project",
                q -> q.setParameter("node", nodeId).setParameter("project", projectId),
                RevocationReasons.NODE_REREGISTERED,
                now);
    }

    /** Every unrevoked credential of one node, for {@code reason} (removal, or a newer registration). */
    public Uni<CredentialsRevoked> nodeRevoked(Mutiny.Session session, UUID nodeId, String reason, Instant now) {
        return revoke(session, "node_id = :node", q -> q.setParameter("node", nodeId), reason, now);
    }

    private Uni<CredentialsRevoked> revoke(
            Mutiny.Session session,
            String where,
            java.util.function.UnaryOperator<Mutiny.SelectionQuery<UUID>> bind,
            String reason,
            Instant now) {
        Mutiny.SelectionQuery<UUID> query = session.createNativeQuery(REVOKE + where + " RETURNING id", UUID.class)
                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                .setParameter("reason", reason);
        return bind.apply(query)
                .getResultList()
                .map(ids -> CredentialsRevoked.because(ids, reason))
                .call(revoked -> publisher.announceOnCommit(session, revoked));
    }
}
