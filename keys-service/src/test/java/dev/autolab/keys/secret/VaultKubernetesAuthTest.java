package dev.autolab.keys.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.autolab.keys.secret.vault.VaultSecretStore;
import dev.autolab.keys.secret.vault.VaultSession;
import dev.autolab.testing.VaultStandIn;
import io.grpc.Status;
import io.vertx.mutiny.core.Vertx;

/** Kubernetes auth: the pod's service-account JWT is exchanged for a Vault token of keys-service's role. */
class VaultKubernetesAuthTest {
    static Vertx vertx;
    static VaultStandIn vault;
    static String address;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        vault = new VaultStandIn("secret");
        address = vault.start();
    }

    @AfterAll
    static void stop() {
        vault.stop();
        vertx.closeAndAwait();
    }

    VaultSecretStore store(Path jwt, String role) {
        return new VaultSecretStore(
                vertx,
                new VaultSession(address, new VaultSession.KubernetesLogin("kubernetes", role, jwt), "secret", 5, 10),
                "secret",
                "autolab/keys");
    }

    @Test
    void aServiceAccountTokenLogsInAsTheRole(@TempDir Path dir) throws Exception {
        Path jwt = Files.writeString(dir.resolve("token"), VaultStandIn.K8S_JWT + "\n");
        VaultSecretStore store = store(jwt, VaultStandIn.K8S_ROLE);
        SecretRef ref = new SecretRef(UUID.randomUUID(), UUID.randomUUID());
        assertEquals(1, SecretStoreContract.await(store.create(ref, "sk-k8s-value")));
        assertEquals("sk-k8s-value", SecretStoreContract.await(store.read(ref, 1)));
    }

    @Test
    void aWrongRoleOrMissingTokenIsUnavailableNamingVault(@TempDir Path dir) throws Exception {
        Path jwt = Files.writeString(dir.resolve("token"), VaultStandIn.K8S_JWT);
        SecretRef ref = new SecretRef(UUID.randomUUID(), UUID.randomUUID());
        String wrongRole =
                SecretStoreContract.refusalMessage(store(jwt, "someone-else").create(ref, "v"));
        assertTrue(wrongRole.startsWith("Vault is unavailable"), wrongRole);
        assertEquals(
                Status.Code.UNAVAILABLE,
                SecretStoreContract.refusal(
                        store(dir.resolve("missing"), VaultStandIn.K8S_ROLE).create(ref, "v")));
    }
}
