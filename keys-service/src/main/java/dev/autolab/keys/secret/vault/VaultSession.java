package dev.autolab.keys.secret.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.autolab.keys.secret.SecretStoreDown;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;

/**
 * An authenticated Vault client: with a static token, or by Kubernetes auth (the pod's
 * service-account JWT exchanged for a Vault token of a role), logging in again when Vault refuses
 * the token. Called only from worker threads.
 */
public final class VaultSession {
    /** How keys-service proves itself to Vault. */
    public sealed interface Login permits TokenLogin, KubernetesLogin {}

    public record TokenLogin(String token) implements Login {}

    public record KubernetesLogin(String mount, String role, Path jwtFile) implements Login {}

    private final String address;
    private final Login login;
    private final int prefixDepth;
    private final int openTimeout;
    private final int readTimeout;
    private Vault vault;

    public VaultSession(String address, Login login, String mount, int openTimeoutSeconds, int readTimeoutSeconds) {
        this.address = address.replaceAll("/+$", "");
        this.login = login;
        this.prefixDepth = mount.replaceAll("^/+|/+$", "").split("/").length;
        this.openTimeout = openTimeoutSeconds;
        this.readTimeout = readTimeoutSeconds;
    }

    synchronized Vault vault() throws VaultException {
        if (vault == null) {
            vault = Vault.create(config(tokenFor()), 2);
        }
        return vault;
    }

    /**
     * Drops the token so the next call logs in again (Kubernetes auth tokens expire); answers whether
     * a new login can help (a static token stays what it is).
     */
    synchronized boolean forget() {
        if (login instanceof KubernetesLogin) {
            vault = null;
            return true;
        }
        return false;
    }

    private String tokenFor() throws VaultException {
        if (login instanceof TokenLogin t) {
            return t.token();
        }
        KubernetesLogin k = (KubernetesLogin) login;
        String jwt;
        try {
            jwt = Files.readString(k.jwtFile(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw SecretStoreDown.of("Vault", "cannot read the service-account token " + k.jwtFile());
        }
        // The driver's last argument is the path under /v1/, not the mount name: auth/<mount>.
        return Vault.create(config(null), 2)
                .auth()
                .loginByKubernetes(k.role(), jwt, "auth/" + k.mount())
                .getAuthClientToken();
    }

    private VaultConfig config(String token) throws VaultException {
        VaultConfig config = new VaultConfig()
                .address(address)
                .engineVersion(2)
                .prefixPathDepth(prefixDepth)
                .openTimeout(openTimeout)
                .readTimeout(readTimeout);
        if (token != null) {
            config.token(token);
        }
        return config.build();
    }
}
