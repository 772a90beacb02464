package dev.autolab.common.auth;

import io.smallrye.mutiny.Uni;

/** Resolves a bearer token to its principal; fails with UNAUTHENTICATED when it cannot. */
public interface TokenValidator {
    Uni<Principal> validate(String token);

    /** A principal known without I/O, or {@code null}; lets the interceptor skip the asynchronous path. */
    default Principal cachedOrNull(String token) {
        return null;
    }
}
