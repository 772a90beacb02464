package dev.autolab.auth.node;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.autolab.auth.project.Role;
import io.smallrye.mutiny.Uni;

/**
 * The row locks that make minting a node credential safe against what would revoke it. Without them
 * a revocation (of the registering token, of the user's role) committing while a mint is under way
 * would miss the new credential, which would then outlive its cause. Each lock is held until the
 * minting transaction ends; the cause's own update waits for it and its cascade then sees the new
 * credential, or the mint waits for the cause and is refused.
 */
@ApplicationScoped
class NodeLocks {
    /** One registration or removal of a node at a time: at most one live credential per node. */
    Uni<Void> node(Mutiny.Session session, UUID nodeId) {
        return session.createNativeQuery(
                        "SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:key, 0))", Integer.class)
                .setParameter("key", "autolab-node:" + nodeId)
                .getSingleResult()
                .replaceWithVoid();
    }

    /** Whether the registering token is still live, locking its row against revocation until commit. */
    Uni<Boolean> liveToken(Mutiny.Session session, UUID tokenId, Instant now) {
        return session.createNativeQuery(
                        "SELECT revoked_at IS NULL AND (expires_at IS NULL OR expires_at > :now) FROM credentials"
                                + " WHERE id = :id FOR SHARE",
                        Boolean.class)
                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                .setParameter("id", tokenId)
                .getSingleResultOrNull()
                .map(Boolean.TRUE::equals);
    }

    /** The user's role on the project, locking the membership against change or removal; null if none. */
    Uni<Role> membership(Mutiny.Session session, UUID projectId, UUID userId) {
        return session.createNativeQuery(
                        "SELECT role FROM memberships WHERE project_id = :project AND user_id = :user FOR SHARE",
                        String.class)
                .setParameter("project", projectId)
                .setParameter("user", userId)
                .getSingleResultOrNull()
                .map(role -> role == null ? null : Role.valueOf(role));
    }

    /** Whether the node id already holds a live credential on another project (never, unless the caller is confused). */
    Uni<Boolean> otherProject(Mutiny.Session session, UUID nodeId, UUID projectId) {
        return session.createNativeQuery(
                        "SELECT count(*) > 0 FROM credentials WHERE kind = 'NODE' AND revoked_at IS NULL"
                                + " AND node_id = :node AND project_id <> :project",
                        Boolean.class)
                .setParameter("node", nodeId)
                .setParameter("project", projectId)
                .getSingleResult();
    }
}
