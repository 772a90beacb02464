package dev.autolab.nodes.api;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.autolab.common.auth.AuthServiceChannel;
import dev.autolab.common.auth.AuthServiceValidator;
import dev.autolab.nodes.config.NodesConfig;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc.MutinyInternalAuthServiceStub;
import dev.autolab.proto.auth.v1.Revocations;
import io.vertx.core.Vertx;

/**
 * The one place node-registry is wired to auth-service: the channel, the internal stub (ValidateToken,
 * Authorize, MintNodeCredential, RevokeNodeCredentials, WatchRevocations) and the token validator the
 * bearer interceptor uses. Each pushed revocation is also fired as a CDI event, so that the connected
 * node whose credential died is told why ({@code ConnectedNodes}).
 */
@Singleton
public class AuthServiceClient {
    private final AuthServiceChannel channel;
    private final MutinyInternalAuthServiceStub stub;
    private final AuthServiceValidator validator;

    public AuthServiceClient(Vertx vertx, NodesConfig config, Event<Revocations> revocations) {
        this.channel = AuthServiceChannel.open(
                vertx, config.authAddress(), "autolab.nodes.auth-address (AUTOLAB_AUTH_ADDRESS)");
        this.stub = channel.stub();
        // ValidateToken behind a cache that auth-service's revocation stream keeps honest (DESIGN §3).
        this.validator = new AuthServiceValidator(
                stub,
                "node-registry",
                config.authDeadline(),
                config.tokenCache().ttl(),
                AuthServiceValidator.LIVE_TTL,
                config.tokenCache().maxEntries(),
                revocations::fire);
    }

    @Produces
    @Singleton
    MutinyInternalAuthServiceStub internalAuth() {
        return stub;
    }

    /**
     * The token validator the bearer interceptor uses; also injected as itself where the sweeper asks
     * whether the revocation stream is live.
     */
    @Produces
    @Singleton
    AuthServiceValidator authServiceValidator() {
        return validator;
    }

    @PreDestroy
    void close() {
        validator.close();
        channel.close();
    }
}
