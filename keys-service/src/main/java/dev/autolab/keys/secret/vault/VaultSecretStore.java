package dev.autolab.keys.secret.vault;

import java.util.Map;
import java.util.function.Supplier;

import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;
import dev.autolab.keys.secret.SecretRef;
import dev.autolab.keys.secret.SecretStore;
import dev.autolab.keys.secret.SecretStoreDown;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.WriteOptions;
import io.github.jopenlibs.vault.response.HealthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Vault KV v2: one path per key, {@code <mount>/<prefix>/<owner id>/<key id>}, the value under the
 * field {@code value}. The first write is create-only (check-and-set 0), a rotation writes the next
 * version (check-and-set on the current one), removal deletes the metadata, which destroys every
 * version. vault-java-driver blocks: each call runs on the worker pool through
 * {@code Vertx.executeBlocking} and comes back to the caller's event loop (DESIGN §2).
 */
public final class VaultSecretStore implements SecretStore {
    private static final String FIELD = "value";

    private final Vertx vertx;
    private final VaultSession session;
    private final String mount;
    private final String prefix;

    public VaultSecretStore(Vertx vertx, VaultSession session, String mount, String prefix) {
        this.vertx = vertx;
        this.session = session;
        this.mount = trimSlashes(mount);
        this.prefix = trimSlashes(prefix);
    }

    @Override
    public String name() {
        return "Vault";
    }

    String path(SecretRef ref) {
        return mount + "/" + (prefix.isEmpty() ? "" : prefix + "/") + ref.ownerId() + "/" + ref.keyId();
    }

    @Override
    public Uni<Integer> create(SecretRef ref, String value) {
        return write(ref, value, 0L);
    }

    @Override
    public Uni<Integer> rotate(SecretRef ref, int currentVersion, String value) {
        return write(ref, value, (long) currentVersion);
    }

    private Uni<Integer> write(SecretRef ref, String value, long checkAndSet) {
        return blocking("writing a secret", vault -> {
            LogicalResponse response = vault.logical()
                    .write(
                            path(ref),
                            Map.of(FIELD, value),
                            null,
                            new WriteOptions().checkAndSet(checkAndSet).build());
            int status = response.getRestResponse().getStatus();
            if (status == 400 && checkAndSet == 0) {
                throw Errors.alreadyExists("a secret for key " + ref.keyId() + " already exists in Vault");
            }
            if (status == 400) {
                throw new AutolabException(
                        io.grpc.Status.Code.ABORTED,
                        null,
                        "the secret of key " + ref.keyId() + " changed meanwhile; try again");
            }
            requireOk(status, "writing a secret");
            String version = response.getData().get("version");
            if (version == null) {
                throw SecretStoreDown.of(name(), "its answer to a write had no version");
            }
            return Integer.parseInt(version);
        });
    }

    @Override
    public Uni<String> read(SecretRef ref, int version) {
        return blocking("reading a secret", vault -> {
            LogicalResponse response = vault.logical().read(path(ref), false, version);
            int status = response.getRestResponse().getStatus();
            if (status == 404) {
                throw Errors.notFound(
                        "the secret of key " + ref.keyId() + " (version " + version + ") is not in Vault");
            }
            requireOk(status, "reading a secret");
            String value = response.getData().get(FIELD);
            if (value == null) {
                throw Errors.notFound(
                        "the secret of key " + ref.keyId() + " (version " + version + ") is not in Vault");
            }
            return value;
        });
    }

    @Override
    public Uni<Void> destroy(SecretRef ref) {
        return blocking("destroying a secret", vault -> {
            try {
                vault.logical().delete(path(ref));
            } catch (VaultException e) {
                if (e.getHttpStatusCode() != 404) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public Uni<String> problem() {
        return blocking("checking sys/health", vault -> {
                    HealthResponse health = vault.debug().health();
                    if (!Boolean.TRUE.equals(health.getInitialized())) {
                        return "Vault is not initialized";
                    }
                    if (Boolean.TRUE.equals(health.getSealed())) {
                        return "Vault is sealed";
                    }
                    return (String) null;
                })
                .onFailure()
                .recoverWithItem(failure -> failure.getMessage());
    }

    private void requireOk(int status, String what) {
        if (status == 401 || status == 403) {
            throw new TokenRefused(status);
        }
        if (status / 100 != 2) {
            throw SecretStoreDown.of(name(), what + " answered HTTP " + status);
        }
    }

    /** Vault refused keys-service's token: expired, revoked, or not allowed the path. */
    private static final class TokenRefused extends RuntimeException {
        final int status;

        TokenRefused(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    @FunctionalInterface
    private interface VaultCall<T> {
        T call(Vault vault) throws VaultException;
    }

    private <T> Uni<T> blocking(String what, VaultCall<T> call) {
        Supplier<T> work = () -> {
            try {
                return once(what, call);
            } catch (TokenRefused refused) {
                // A token from Kubernetes auth lives for the role's TTL: log in again with the pod's current
                // service-account JWT and try once more, so an expiry costs one login instead of a failed call.
                // Nothing was written by a refused call, so repeating a write is safe.
                if (!session.forget()) {
                    throw refusal(what, refused);
                }
                try {
                    return once(what, call);
                } catch (TokenRefused again) {
                    session.forget();
                    throw refusal(what, again);
                }
            }
        };
        return vertx.executeBlocking(Uni.createFrom().item(work), false);
    }

    private AutolabException refusal(String what, TokenRefused refused) {
        return SecretStoreDown.of(
                name(),
                what + " was refused (HTTP " + refused.status + "): check keys-service's Vault token or role and"
                        + " its policy");
    }

    private <T> T once(String what, VaultCall<T> call) {
        try {
            return call.call(session.vault());
        } catch (VaultException e) {
            if (e.getHttpStatusCode() == 401 || e.getHttpStatusCode() == 403) {
                throw new TokenRefused(e.getHttpStatusCode());
            }
            // VaultException messages can quote response bodies: keep only the status.
            throw SecretStoreDown.of(
                    name(),
                    what + " failed"
                            + (e.getHttpStatusCode() > 0
                                    ? " with HTTP " + e.getHttpStatusCode()
                                    : ": it cannot be reached"));
        } catch (AutolabException | TokenRefused e) {
            throw e;
        } catch (RuntimeException e) {
            throw SecretStoreDown.of(name(), what + " failed: " + e.getClass().getSimpleName());
        }
    }

    private static String trimSlashes(String s) {
        return s.replaceAll("^/+|/+$", "");
    }
}
