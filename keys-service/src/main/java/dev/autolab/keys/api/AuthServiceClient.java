package dev.autolab.keys.api;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.autolab.common.auth.AuthServiceChannel;
import dev.autolab.common.auth.AuthServiceValidator;
import dev.autolab.common.auth.TokenValidator;
import dev.autolab.keys.config.KeysConfig;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc.MutinyInternalAuthServiceStub;
import io.vertx.core.Vertx;

/**
 * The one place keys-service is wired to auth-service: the channel, the internal stub (ValidateToken,
 * Authorize, WatchRevocations) and the token validator the bearer interceptor uses.
 */
@Singleton
public class AuthServiceClient {
    private final AuthServiceChannel channel;
    private final MutinyInternalAuthServiceStub stub;
    private final AuthServiceValidator validator;

    public AuthServiceClient(Vertx vertx, KeysConfig config) {
        this.channel = AuthServiceChannel.open(
                vertx, config.authAddress(), "autolab.keys.auth-address (AUTOLAB_AUTH_ADDRESS)");
        this.stub = channel.stub();
        // ValidateToken behind a cache that auth-service's revocation stream keeps honest (DESIGN §3).
        this.validator = new AuthServiceValidator(
                stub,
                "keys-service",
                config.authDeadline(),
                config.tokenCache().ttl(),
                AuthServiceValidator.LIVE_TTL,
                config.tokenCache().maxEntries());
    }

    @Produces
    @Singleton
    MutinyInternalAuthServiceStub internalAuth() {
        return stub;
    }

    @Produces
    @Singleton
    TokenValidator tokenValidator() {
        return validator;
    }

    @PreDestroy
    void close() {
        validator.close();
        channel.close();
    }
}
