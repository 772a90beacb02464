package dev.autolab.keys.secret;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Ready only while the secret store can serve (for Vault: its sys/health says initialized and unsealed). */
@Readiness
public class SecretStoreReadiness implements AsyncHealthCheck {
    @Inject
    SecretStore store;

    @Override
    public Uni<HealthCheckResponse> call() {
        return store.problem()
                .map(problem -> HealthCheckResponse.named("secret-store")
                        .status(problem == null)
                        .withData("store", store.name())
                        .withData("problem", problem == null ? "none" : problem)
                        .build());
    }
}
