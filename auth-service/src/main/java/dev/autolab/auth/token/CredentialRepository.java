package dev.autolab.auth.token;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class CredentialRepository {
    /**
     * What people name, list and revoke as tokens: PATs and login tokens. Sessions are not named by
     * people, and node credentials belong to their node (node-registry revokes them).
     */
    static final List<CredentialKind> PERSONAL = List.of(CredentialKind.PAT, CredentialKind.LOGIN);

    /** The user's PATs and login tokens (never sessions or node credentials), newest first; only the live ones unless {@code all}. */
    public Uni<List<Credential>> listTokens(Mutiny.Session session, UUID userId, boolean all, Instant now) {
        String live = all ? "" : " and c.revokedAt is null and (c.expiresAt is null or c.expiresAt > :now)";
        var query = session.createSelectionQuery(
                        "from Credential c where c.userId = :user and c.kind in :personal" + live
                                + " order by c.createdAt desc",
                        Credential.class)
                .setParameter("user", userId)
                .setParameter("personal", PERSONAL);
        if (!all) {
            query.setParameter("now", now);
        }
        return query.getResultList();
    }

    /** Live tokens whose name is {@code ref}, or whose id starts with {@code ref}. */
    public Uni<List<Credential>> findLiveByRef(Mutiny.Session session, UUID userId, String ref, Instant now) {
        return session.createSelectionQuery(
                        "from Credential c where c.userId = :user and c.kind in :personal"
                                + " and c.revokedAt is null and (c.expiresAt is null or c.expiresAt > :now)"
                                + " and (c.name = :ref or str(c.id) like :prefix) order by c.createdAt desc",
                        Credential.class)
                .setParameter("user", userId)
                .setParameter("personal", PERSONAL)
                .setParameter("now", now)
                .setParameter("ref", ref)
                .setParameter("prefix", ref.toLowerCase(java.util.Locale.ROOT) + "%")
                .getResultList();
    }

    /**
     * Frees a name held by a token that is no longer usable, or by a login token being replaced,
     * by marking it revoked with the given reason. Returns the ids it revoked.
     */
    public Uni<List<UUID>> retireName(
            Mutiny.Session session, UUID userId, String name, Instant now, boolean includeLive, String reason) {
        String condition = includeLive ? "" : " and c.expiresAt is not null and c.expiresAt <= :now";
        var select = session.createSelectionQuery(
                        "select c.id from Credential c where c.userId = :user"
                                + " and c.name = :name and c.revokedAt is null and c.kind in :personal" + condition,
                        UUID.class)
                .setParameter("user", userId)
                .setParameter("name", name)
                .setParameter("personal", PERSONAL);
        if (!includeLive) {
            select.setParameter("now", now);
        }
        return select.getResultList()
                .call(ids -> ids.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : session.createMutationQuery(
                                        "update Credential c set c.revokedAt = :now, c.revokedReason = :reason"
                                                + " where c.id in :ids")
                                .setParameter("now", now)
                                .setParameter("reason", reason)
                                .setParameter("ids", ids)
                                .executeUpdate());
    }

    /** Revokes one credential unless it already is; returns how many rows changed (0 or 1). */
    public Uni<Integer> revokeById(Mutiny.Session session, UUID id, Instant now, String reason) {
        return session.createMutationQuery("update Credential c set c.revokedAt = :now, c.revokedReason = :reason"
                        + " where c.id = :id and c.revokedAt is null")
                .setParameter("now", now)
                .setParameter("reason", reason)
                .setParameter("id", id)
                .executeUpdate();
    }
}
