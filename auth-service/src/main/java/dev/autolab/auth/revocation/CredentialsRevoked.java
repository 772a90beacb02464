package dev.autolab.auth.revocation;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fired, in this process, once revoked credentials are committed: by the revoking call after its
 * transaction commits, and by {@link RevocationListener} for every revocation committed on any
 * replica. Caches forget the credentials at once; an id may be announced more than once.
 *
 * @param reasons why, for node credentials (id -> a {@link RevocationReasons} word); other ids have
 *     no entry
 */
public record CredentialsRevoked(List<UUID> ids, Map<UUID, String> reasons) {
    public CredentialsRevoked {
        ids = List.copyOf(ids);
        reasons = Map.copyOf(reasons);
    }

    public CredentialsRevoked(List<UUID> ids) {
        this(ids, Map.of());
    }

    /** These ids, all for the same reason. */
    public static CredentialsRevoked because(List<UUID> ids, String reason) {
        Map<UUID, String> reasons = new java.util.HashMap<>();
        ids.forEach(id -> reasons.put(id, reason));
        return new CredentialsRevoked(ids, reasons);
    }

    public boolean isEmpty() {
        return ids.isEmpty();
    }
}
