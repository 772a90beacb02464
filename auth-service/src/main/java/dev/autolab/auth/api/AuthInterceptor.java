package dev.autolab.auth.api;

import java.time.Clock;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.auth.token.LocalTokenValidator;
import dev.autolab.common.auth.AccessPolicy;
import dev.autolab.common.auth.BearerAuthInterceptor;
import io.quarkus.grpc.GlobalInterceptor;

/** The shared bearer-token check, validating against this service's own database. */
@Singleton
@GlobalInterceptor
public class AuthInterceptor extends BearerAuthInterceptor {
    @Inject
    public AuthInterceptor(AccessPolicy policy, LocalTokenValidator validator, Clock clock) {
        super(policy, validator, clock);
    }
}
