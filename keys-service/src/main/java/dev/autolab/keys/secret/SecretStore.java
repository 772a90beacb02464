package dev.autolab.keys.secret;

import io.smallrye.mutiny.Uni;

/**
 * Where key values live: Vault KV v2 in production, the built-in encrypted store otherwise. Every
 * operation either happens completely or not at all, and fails with UNAVAILABLE naming the store
 * when the store cannot be reached. No failure message ever carries a value.
 */
public interface SecretStore {

    /** A short name for people and messages, e.g. {@code Vault}. */
    String name();

    /** Writes the first version; fails if the secret already exists. Returns the version (1). */
    Uni<Integer> create(SecretRef ref, String value);

    /** Writes a new version after {@code currentVersion}; returns the new version. */
    Uni<Integer> rotate(SecretRef ref, int currentVersion, String value);

    /** One version's value; NOT_FOUND when it does not exist (any more). */
    Uni<String> read(SecretRef ref, int version);

    /** Destroys every version; succeeds when there was nothing to destroy. */
    Uni<Void> destroy(SecretRef ref);

    /** Null when the store can serve requests, otherwise why not. */
    Uni<String> problem();
}
