package dev.autolab.keys.secret;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.autolab.keys.secret.vault.VaultSecretStore;
import dev.autolab.keys.secret.vault.VaultSession;
import dev.autolab.testing.VaultStandIn;
import io.vertx.mutiny.core.Vertx;

/** The contract against Vault's HTTP API as the stand-in serves it, through the real vault-java-driver. */
class VaultStandInContractTest extends SecretStoreContract {
    static Vertx vertx;
    static VaultStandIn vault;
    static VaultSecretStore store;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        vault = new VaultStandIn("secret");
        String address = vault.start();
        store = new VaultSecretStore(
                vertx,
                new VaultSession(address, new VaultSession.TokenLogin(VaultStandIn.ROOT_TOKEN), "secret", 5, 10),
                "secret",
                "autolab/keys");
    }

    @AfterAll
    static void stop() {
        vault.stop();
        vertx.closeAndAwait();
    }

    @Override
    protected SecretStore store() {
        return store;
    }

    @Override
    protected void breakIt() {
        vault.failing(true);
    }

    @Override
    protected void repair() {
        vault.failing(false);
    }
}
