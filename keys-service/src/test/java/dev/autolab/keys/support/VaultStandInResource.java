package dev.autolab.keys.support;

import java.util.Map;

import dev.autolab.testing.VaultStandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Runs keys-service on Vault (the stand-in, token auth) and injects the stand-in into the test. */
public class VaultStandInResource implements QuarkusTestResourceLifecycleManager {
    private final VaultStandIn vault = new VaultStandIn("secret");

    @Override
    public Map<String, String> start() {
        try {
            return Map.of(
                    "autolab.keys.secret-store",
                    "vault",
                    "autolab.keys.vault.address",
                    vault.start(),
                    "autolab.keys.vault.token",
                    VaultStandIn.ROOT_TOKEN);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the Vault stand-in", e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(vault, new TestInjector.MatchesType(VaultStandIn.class));
    }

    @Override
    public void stop() {
        vault.stop();
    }
}
