package dev.autolab.auth;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.autolab.auth.revocation.CredentialsRevoked;
import dev.autolab.testing.Db;

/** Records every revocation event with whether its revocation was committed when the event fired. */
@Singleton
public class RevocationEvents {
    /** One announced id, and whether another connection could already see it revoked. */
    public record Seen(UUID id, boolean committed) {}

    final List<Seen> seen = new CopyOnWriteArrayList<>();

    void on(@Observes CredentialsRevoked event) {
        // Checked synchronously, while the announcing code waits for this observer: a separate
        // connection sees only committed rows. Ids that are no credential (tests of the stream) are skipped.
        String ids = event.ids().stream().map(UUID::toString).collect(Collectors.joining(","));
        for (List<String> row : Db.rows(
                "SELECT id, revoked_at IS NOT NULL FROM credentials"
                        + " WHERE id = ANY (string_to_array(?, ',')::uuid[])",
                ids)) {
            seen.add(new Seen(UUID.fromString(row.get(0)), row.get(1).equals("t")));
        }
    }

    boolean announced(UUID id) {
        return seen.stream().anyMatch(s -> s.id().equals(id));
    }
}
