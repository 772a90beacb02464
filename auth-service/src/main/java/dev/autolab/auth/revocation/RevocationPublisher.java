package dev.autolab.auth.revocation;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Announces revocations to every replica of auth-service (this one included) with a PostgreSQL
 * {@code NOTIFY} inside the revoking transaction: PostgreSQL delivers it when, and only if, the
 * transaction commits, so no path can announce a revocation that then rolls back, or announce it
 * before other replicas can read it.
 */
@ApplicationScoped
public class RevocationPublisher {
    private static final String NOTIFY = "select 1 from pg_notify(:channel, :payload)";

    /** Queues the announcement in {@code session}'s transaction; it leaves at commit. */
    public Uni<Void> announceOnCommit(Mutiny.Session session, List<UUID> ids) {
        return announceOnCommit(session, new CredentialsRevoked(ids));
    }

    /** The same, with each id's reason (node credentials), which travels to every replica's watchers. */
    public Uni<Void> announceOnCommit(Mutiny.Session session, CredentialsRevoked revoked) {
        if (revoked.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom()
                .iterable(RevocationNotices.payloads(revoked))
                .onItem()
                .transformToUniAndConcatenate(payload -> session.createNativeQuery(NOTIFY, Integer.class)
                        .setParameter("channel", RevocationNotices.CHANNEL)
                        .setParameter("payload", payload)
                        .getSingleResult())
                .collect()
                .last()
                .replaceWithVoid();
    }
}
