package dev.autolab.keys.secret;

import java.util.UUID;

/** Which secret: a key, and the user it belongs to (both are bound into how it is stored). */
public record SecretRef(UUID keyId, UUID ownerId) {}
