package dev.autolab.auth.token;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.auth.revocation.CredentialsRevoked;
import dev.autolab.auth.revocation.RevocationsMissed;
import dev.autolab.common.auth.CachingTokenValidator;
import dev.autolab.common.auth.Principal;
import dev.autolab.common.auth.TokenValidator;
import io.smallrye.mutiny.Uni;

/**
 * How auth-service authenticates its own callers: straight from its database, behind the same
 * short cache the other services keep. Revocations are forgotten at once: those made on this replica
 * as soon as they commit, those made on any replica when PostgreSQL delivers their notification.
 */
@Singleton
public class LocalTokenValidator implements TokenValidator {
    private final CachingTokenValidator cache;

    @Inject
    public LocalTokenValidator(TokenService tokens, AuthConfig config) {
        this.cache = new CachingTokenValidator(
                tokens::validate, config.tokenCache().ttl(), config.tokenCache().maxEntries());
    }

    @Override
    public Uni<Principal> validate(String token) {
        return cache.validate(token);
    }

    @Override
    public Principal cachedOrNull(String token) {
        return cache.cachedOrNull(token);
    }

    void onRevoked(@Observes CredentialsRevoked event) {
        cache.invalidateTokenIds(event.ids().stream().map(Object::toString).toList());
    }

    void onMissed(@Observes RevocationsMissed event) {
        cache.invalidateAll();
    }
}
