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

    @Test
    void anExpiredTokenIsReplacedByANewLoginWithoutFailingTheCall(@TempDir Path dir) throws Exception {
        Path jwt = Files.writeString(dir.resolve("token"), VaultStandIn.K8S_JWT);
        VaultSecretStore store = store(jwt, VaultStandIn.K8S_ROLE);
        SecretRef ref = new SecretRef(UUID.randomUUID(), UUID.randomUUID());
        assertEquals(1, SecretStoreContract.await(store.create(ref, "sk-before-expiry")));
        int logins = vault.kubernetesLogins();

        vault.expireLoginTokens();
        assertEquals("sk-before-expiry", SecretStoreContract.await(store.read(ref, 1)));
        assertEquals(logins + 1, vault.kubernetesLogins());

        vault.expireLoginTokens();
        assertEquals(2, SecretStoreContract.await(store.rotate(ref, 1, "sk-after-expiry")));
        assertEquals("sk-after-expiry", SecretStoreContract.await(store.read(ref, 2)));
        assertEquals(logins + 2, vault.kubernetesLogins());

        vault.expireLoginTokens();
        SecretStoreContract.await(store.destroy(ref));
        assertEquals(logins + 3, vault.kubernetesLogins());
    }

    @Test
    void aLoginThatIsRefusedAgainIsUnavailableAfterOneRetry(@TempDir Path dir) throws Exception {
        Path jwt = Files.writeString(dir.resolve("token"), VaultStandIn.K8S_JWT);
        VaultSecretStore store = store(jwt, VaultStandIn.K8S_ROLE);
        SecretRef ref = new SecretRef(UUID.randomUUID(), UUID.randomUUID());
        assertEquals(1, SecretStoreContract.await(store.create(ref, "sk-value")));
        int logins = vault.kubernetesLogins();

        // The service account's token no longer logs in (the role was changed, say): one new login is tried.
        Files.writeString(jwt, "a-jwt-vault-does-not-accept");
        vault.expireLoginTokens();
        String message = SecretStoreContract.refusalMessage(store.read(ref, 1));
        assertTrue(message.startsWith("Vault is unavailable (reading a secret was refused (HTTP 403)"), message);
        assertEquals(logins, vault.kubernetesLogins());
        assertTrue(!message.contains("a-jwt-vault-does-not-accept"), message);
    }
}
