package dev.autolab.keys.key;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.Errors;
import dev.autolab.keys.secret.SecretRef;
import dev.autolab.keys.secret.SecretStore;
import dev.autolab.keys.secret.SecretValueCache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/**
 * A user's own provider keys: add, list, rename, limit, rotate, remove. Metadata and secret change
 * together or not at all: the row is written in a transaction that commits only after the secret
 * store has succeeded, and a secret written for a transaction that then fails is destroyed again.
 */
@ApplicationScoped
public class KeyService {
    private static final Logger LOG = Logger.getLogger(KeyService.class);
    private static final String UNIQUE_VIOLATION = "23505";

    @Inject
    Pool pool;

    @Inject
    KeyRepository keys;

    @Inject
    SecretStore store;

    @Inject
    SecretValueCache cache;

    @Inject
    Clock clock;

    /** What UpdateKey may change; null fields stay as they are. */
    public record Changes(String name, Long limitMicroUsd, boolean clearLimit, String value) {
        boolean isEmpty() {
            return name == null && limitMicroUsd == null && !clearLimit && value == null;
        }
    }

    public Uni<List<ProviderKey>> list(Principal caller) {
        return keys.listByOwner(pool, owner(caller));
    }

    public Uni<ProviderKey> add(
            Principal caller, String providerName, String requestedName, String rawValue, Long limitMicroUsd) {
        return Uni.createFrom().deferred(() -> {
            Provider provider = Provider.parse(providerName);
            String name = requestedName == null || requestedName.isBlank() ? provider.id() : requestedName.trim();
            Names.requireValid(name);
            String value = KeyValues.requireValid(rawValue);
            if (limitMicroUsd != null) {
                Limits.requireValid(limitMicroUsd);
            }
            ProviderKey key = new ProviderKey(
                    UUID.randomUUID(),
                    owner(caller),
                    caller.handle(),
                    name,
                    provider,
                    KeyValues.hint(value),
                    limitMicroUsd,
                    0,
                    1,
                    clock.instant(),
                    List.of());
            SecretRef ref = new SecretRef(key.id(), key.ownerId());
            AtomicBoolean secretWritten = new AtomicBoolean();
            return pool.withTransaction(db -> keys.nameTaken(db, key.ownerId(), key.name())
                            .chain(taken -> {
                                if (taken) {
                                    throw duplicateName(key.name());
                                }
                                return keys.insert(db, key);
                            })
                            .chain(() -> store.create(ref, value))
                            .invoke(() -> secretWritten.set(true)))
                    .replaceWith(key)
                    .onFailure()
                    .call(failure -> secretWritten.get()
                            ? undoSecret(ref)
                            : Uni.createFrom().voidItem())
                    .onFailure(KeyService::isUniqueViolation)
                    .transform(failure -> duplicateName(key.name()));
        });
    }

    public Uni<ProviderKey> update(Principal caller, String ref, Changes changes) {
        return Uni.createFrom().deferred(() -> {
            KeyRefs.requireGiven(ref, "change");
            if (changes == null || changes.isEmpty()) {
                throw Errors.invalidArgument(
                        "nothing to change: give a new name, a limit (or clear it), or a new value");
            }
            if (changes.name() != null) {
                Names.requireValid(changes.name());
            }
            if (changes.limitMicroUsd() != null) {
                if (changes.clearLimit()) {
                    throw Errors.invalidArgument("set a limit or clear it, not both");
                }
                Limits.requireValid(changes.limitMicroUsd());
            }
            String value = changes.value() == null ? null : KeyValues.requireValid(changes.value());
            UUID owner = owner(caller);
            return pool.withTransaction(db -> keys.findByRef(db, owner, ref, true)
                            .map(matches -> KeyRefs.pick(ref, matches))
                            .chain(found -> {
                                Uni<Boolean> nameFree =
                                        changes.name() == null || changes.name().equals(found.name())
                                                ? Uni.createFrom().item(true)
                                                : keys.nameTaken(db, owner, changes.name())
                                                        .map(taken -> !taken);
                                return nameFree.chain(free -> {
                                    if (!free) {
                                        throw duplicateName(changes.name());
                                    }
                                    Uni<Integer> version = value == null
                                            ? Uni.createFrom().item(found.secretVersion())
                                            : store.rotate(
                                                    new SecretRef(found.id(), owner), found.secretVersion(), value);
                                    return version.map(v -> new ProviderKey(
                                            found.id(),
                                            found.ownerId(),
                                            found.ownerHandle(),
                                            changes.name() == null ? found.name() : changes.name(),
                                            found.provider(),
                                            value == null ? found.hint() : KeyValues.hint(value),
                                            changes.clearLimit()
                                                    ? null
                                                    : changes.limitMicroUsd() != null
                                                            ? changes.limitMicroUsd()
                                                            : found.limitMicroUsd(),
                                            found.spentMicroUsd(),
                                            v,
                                            found.createdAt(),
                                            found.projects()));
                                });
                            })
                            .call(updated -> keys.update(db, updated)))
                    .invoke(updated -> {
                        if (value != null) {
                            cache.forget(updated.id());
                        }
                    })
                    .onFailure(KeyService::isUniqueViolation)
                    .transform(failure -> duplicateName(changes.name()));
        });
    }

    /** Removes a key and every version of its secret; a key in use needs {@code force}. */
    public Uni<ProviderKey> remove(Principal caller, String ref, boolean force) {
        return Uni.createFrom().deferred(() -> {
            KeyRefs.requireGiven(ref, "remove");
            UUID owner = owner(caller);
            return pool.withTransaction(db -> keys.findByRef(db, owner, ref, true)
                            .map(matches -> KeyRefs.pick(ref, matches))
                            .call(found -> {
                                if (!found.projects().isEmpty() && !force) {
                                    throw Errors.failedPrecondition(
                                            "key " + found.name() + " is used by " + String.join(", ", found.projects())
                                                    + "; remove it anyway with `autolab keys rm " + found.name()
                                                    + " --force` (those projects go back to the platform key)");
                                }
                                return db.preparedQuery("DELETE FROM project_bindings WHERE key_id = $1")
                                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(found.id()))
                                        .chain(() -> keys.delete(db, found.id()))
                                        // Last, so that a store failure rolls the rows back: never a row without its
                                        // secret.
                                        .chain(() -> store.destroy(new SecretRef(found.id(), owner)));
                            }))
                    .invoke(removed -> cache.forget(removed.id()));
        });
    }

    private Uni<Void> undoSecret(SecretRef ref) {
        return store.destroy(ref).onFailure().recoverWithItem(failure -> {
            LOG.warnf(
                    "could not destroy the secret of key %s after its row failed to commit: %s",
                    ref.keyId(), failure.getMessage());
            return null;
        });
    }

    private static boolean isUniqueViolation(Throwable t) {
        return t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }

    private static RuntimeException duplicateName(String name) {
        return Errors.alreadyExists("you already have a key named \"" + name + "\"; pick another name with --name, "
                + "or remove that one first (`autolab keys rm " + name + "`)");
    }

    static UUID owner(Principal caller) {
        return UUID.fromString(caller.userId());
    }
}
