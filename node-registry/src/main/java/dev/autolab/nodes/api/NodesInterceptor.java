package dev.autolab.nodes.api;

import java.time.Clock;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.common.auth.AccessPolicy;
import dev.autolab.common.auth.BearerAuthInterceptor;
import dev.autolab.common.auth.TokenValidator;
import io.quarkus.grpc.GlobalInterceptor;

/** The shared bearer-token check, validating through auth-service (see {@link AuthServiceClient}). */
@Singleton
@GlobalInterceptor
public class NodesInterceptor extends BearerAuthInterceptor {
    @Inject
    public NodesInterceptor(AccessPolicy policy, TokenValidator validator, Clock clock) {
        super(policy, validator, clock);
    }
}
