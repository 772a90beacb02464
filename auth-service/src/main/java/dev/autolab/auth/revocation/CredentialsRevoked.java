package dev.autolab.auth.revocation;

import java.util.List;
import java.util.UUID;

/**
 * Fired, in this process, once revoked credentials are committed: by the revoking call after its
 * transaction commits, and by {@link RevocationListener} for every revocation committed on any
 * replica. Caches forget the credentials at once; an id may be announced more than once.
 */
public record CredentialsRevoked(List<UUID> ids) {}
