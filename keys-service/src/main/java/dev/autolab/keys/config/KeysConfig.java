package dev.autolab.keys.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "autolab.keys")
public interface KeysConfig {

    /** auth-service's gRPC address, host:port. */
    String authAddress();

    /** Deadline of each call to auth-service. */
    @WithDefault("5s")
    Duration authDeadline();

    TokenCache tokenCache();

    /** {@code local}, {@code vault}, or {@code auto} (vault when {@code vault.address} is set). */
    @WithDefault("auto")
    String secretStore();

    Vault vault();

    Local local();

    Platform platform();

    /** How many resolved values are kept in memory, keyed by key id and secret version. */
    @WithDefault("10000")
    long valueCacheSize();

    interface TokenCache {
        /** Bounds how long a revoked token keeps working here. */
        @WithDefault("4s")
        Duration ttl();

        @WithDefault("100000")
        long maxEntries();
    }

    interface Vault {
        Optional<String> address();

        /** {@code token} or {@code kubernetes}. */
        @WithDefault("token")
        String auth();

        Optional<String> token();

        /** The Vault role keys-service logs in as with its service-account JWT. */
        @WithDefault("keys-service")
        String kubernetesRole();

        /** Where the Kubernetes auth method is mounted. */
        @WithDefault("kubernetes")
        String kubernetesMount();

        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
        String serviceAccountTokenFile();

        /** The KV v2 mount. */
        @WithDefault("secret")
        String mount();

        /** Path under the mount; each key is at {@code <mount>/<prefix>/<owner id>/<key id>}. */
        @WithDefault("autolab/keys")
        String prefix();

        @WithDefault("5")
        int openTimeoutSeconds();

        @WithDefault("10")
        int readTimeoutSeconds();
    }

    interface Local {
        /** Base64 of 32 bytes; when unset, {@code master-key-file} is used (and created on first start). */
        Optional<String> masterKey();

        @WithDefault("master.key")
        String masterKeyFile();

        /** Earlier master keys (base64), still accepted for reading after a master-key rotation. */
        Optional<List<String>> previousMasterKeys();
    }

    interface Platform {
        @WithDefault("anthropic")
        String provider();

        /** {@code provider/model} used when a project pins none. */
        @WithDefault("anthropic/claude-sonnet-4-5")
        String model();

        /** The platform key's value (for local development); or {@code value-file}. */
        Optional<String> value();

        Optional<String> valueFile();
    }
}
