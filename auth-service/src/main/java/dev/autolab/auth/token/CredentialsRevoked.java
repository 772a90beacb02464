package dev.autolab.auth.token;

import java.util.List;
import java.util.UUID;

/** Fired after credentials are revoked, so caches in this process forget them at once. */
public record CredentialsRevoked(List<UUID> ids) {
}
