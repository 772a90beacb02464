package dev.autolab.keys.secret;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.autolab.keys.config.KeysConfig;
import dev.autolab.keys.secret.local.LocalSecretStore;
import dev.autolab.keys.secret.local.MasterKeys;
import dev.autolab.keys.secret.vault.VaultSecretStore;
import dev.autolab.keys.secret.vault.VaultSession;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/** Chooses the secret store from configuration: Vault when it is configured, else the built-in store. */
public class SecretStores {
    private static final Logger LOG = Logger.getLogger(SecretStores.class);

    /** Made at start, so a bad configuration or an unsafe master key file stops the service at once. */
    @Produces
    @Singleton
    @Startup
    SecretStore secretStore(KeysConfig config, Vertx vertx, Pool pool) throws IOException {
        KeysConfig.Vault vault = config.vault();
        String choice = config.secretStore();
        boolean useVault = choice.equals("vault")
                || (choice.equals("auto") && vault.address().isPresent());
        if (!useVault && !choice.equals("local") && !choice.equals("auto")) {
            throw new IllegalArgumentException("autolab.keys.secret-store must be local, vault or auto, not " + choice);
        }
        if (useVault) {
            String address = vault.address()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "autolab.keys.secret-store=vault needs autolab.keys.vault.address (VAULT_ADDR)"));
            VaultSession.Login login = switch (vault.auth()) {
                case "token" ->
                    new VaultSession.TokenLogin(vault.token()
                            .orElseThrow(() -> new IllegalArgumentException(
                                    "Vault token auth needs autolab.keys.vault.token (VAULT_TOKEN)")));
                case "kubernetes" ->
                    new VaultSession.KubernetesLogin(
                            vault.kubernetesMount(), vault.kubernetesRole(), Path.of(vault.serviceAccountTokenFile()));
                default ->
                    throw new IllegalArgumentException(
                            "autolab.keys.vault.auth must be token or kubernetes, not " + vault.auth());
            };
            LOG.infof(
                    "secret store: Vault at %s (%s auth), KV v2 mount %s, prefix %s",
                    address, vault.auth(), vault.mount(), vault.prefix());
            return new VaultSecretStore(
                    vertx,
                    new VaultSession(
                            address, login, vault.mount(), vault.openTimeoutSeconds(), vault.readTimeoutSeconds()),
                    vault.mount(),
                    vault.prefix());
        }
        KeysConfig.Local local = config.local();
        byte[] current;
        if (local.masterKey().isPresent()) {
            current = MasterKeys.decode(local.masterKey().get());
            LOG.info("secret store: built-in (AES-256-GCM), master key from configuration");
        } else {
            Path file = Path.of(local.masterKeyFile());
            current = MasterKeys.fromFile(file);
            LOG.infof("secret store: built-in (AES-256-GCM), master key file %s", file.toAbsolutePath());
        }
        List<byte[]> previous = local.previousMasterKeys().orElse(List.of()).stream()
                .map(MasterKeys::decode)
                .toList();
        return new LocalSecretStore(pool, MasterKeys.of(current, previous));
    }
}
