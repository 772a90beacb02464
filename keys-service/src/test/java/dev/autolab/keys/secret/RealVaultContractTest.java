package dev.autolab.keys.secret;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.vault.VaultContainer;

import dev.autolab.keys.secret.vault.VaultSecretStore;
import dev.autolab.keys.secret.vault.VaultSession;
import io.vertx.mutiny.core.Vertx;

/**
 * The contract against a real Vault: the one at {@code VAULT_ADDR} (with {@code VAULT_TOKEN}, KV v2 at
 * {@code secret/}), else a Testcontainers Vault in dev mode when Docker is available; otherwise it says
 * why it did not run. Breaking the store points it at a closed port.
 */
class RealVaultContractTest extends SecretStoreContract {
    static Vertx vertx;
    static VaultContainer<?> container;
    static VaultSecretStore store;
    static VaultSecretStore broken;
    static boolean isBroken;

    @BeforeAll
    static void start() throws Exception {
        String address = System.getenv("VAULT_ADDR");
        String token = System.getenv("VAULT_TOKEN");
        if (address == null || address.isBlank()) {
            boolean docker;
            try {
                docker = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                docker = false;
            }
            Assumptions.assumeTrue(
                    docker,
                    "no real Vault: set VAULT_ADDR (and VAULT_TOKEN) or run where Docker is"
                            + " available; the stand-in contract test covers the driver path");
            container = new VaultContainer<>("hashicorp/vault:1.15").withVaultToken("contract-root");
            container.start();
            address = container.getHttpHostAddress();
            token = "contract-root";
        }
        vertx = Vertx.vertx();
        store = new VaultSecretStore(
                vertx,
                new VaultSession(address, new VaultSession.TokenLogin(token), "secret", 5, 10),
                "secret",
                "autolab-contract-test");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        broken = new VaultSecretStore(
                vertx,
                new VaultSession("http://127.0.0.1:" + closed, new VaultSession.TokenLogin(token), "secret", 2, 2),
                "secret",
                "autolab-contract-test");
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.stop();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
    }

    @Override
    protected SecretStore store() {
        return isBroken ? broken : store;
    }

    @Override
    protected void breakIt() {
        isBroken = true;
    }

    @Override
    protected void repair() {
        isBroken = false;
    }
}
