package dev.autolab.nodes.api;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.autolab.common.auth.AuthServiceValidator;
import dev.autolab.nodes.config.NodesConfig;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc.MutinyInternalAuthServiceStub;
import dev.autolab.proto.auth.v1.Revocations;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientChannel;

/**
 * The one place node-registry is wired to auth-service: the channel, the internal stub (ValidateToken,
 * Authorize, MintNodeCredential, RevokeNodeCredentials, WatchRevocations) and the token validator the
 * bearer interceptor uses. Each pushed revocation is also fired as a CDI event, so that the connected
 * node whose credential died is told why ({@code ConnectedNodes}).
 */
@Singleton
public class AuthServiceClient {
    private final GrpcClient client;
    private final MutinyInternalAuthServiceStub stub;
    private final AuthServiceValidator validator;

    public AuthServiceClient(Vertx vertx, NodesConfig config, Event<Revocations> revocations) {
        String address = config.authAddress().trim();
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(
                    "autolab.nodes.auth-address (AUTOLAB_AUTH_ADDRESS) must be host:port, not \"" + address + "\"");
        }
        this.client = GrpcClient.client(vertx);
        GrpcClientChannel channel = new GrpcClientChannel(
                client,
                SocketAddress.inetSocketAddress(
                        Integer.parseInt(address.substring(colon + 1)), address.substring(0, colon)));
        this.stub = MutinyInternalAuthServiceGrpc.newMutinyStub(channel);
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
        client.close();
    }
}
