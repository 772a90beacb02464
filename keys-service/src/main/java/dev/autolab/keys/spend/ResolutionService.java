package dev.autolab.keys.spend;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.Errors;
import dev.autolab.keys.binding.PlatformKey;
import dev.autolab.keys.binding.ProjectAccess;
import dev.autolab.keys.key.Limits;
import dev.autolab.keys.key.Provider;
import dev.autolab.keys.secret.SecretRef;
import dev.autolab.keys.secret.SecretStore;
import dev.autolab.keys.secret.SecretValueCache;
import dev.autolab.proto.auth.v1.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Gives an execution node of a project the key its project uses. The only path by which a value
 * leaves keys-service. One query reads the binding, the key's version and its spend; the value comes
 * from the cache (keyed by version, so never one from before a rotation) or the secret store.
 */
@ApplicationScoped
public class ResolutionService {
    @Inject
    Pool pool;

    @Inject
    SecretStore store;

    @Inject
    SecretValueCache cache;

    @Inject
    PlatformKey platform;

    @Inject
    ProjectAccess access;

    public Uni<ResolvedKey> resolve(Principal node, String requestedProject) {
        return Uni.createFrom().deferred(() -> {
            String project = NodeProjects.require(node, requestedProject);
            return pool.preparedQuery(
                            "SELECT b.model, k.id, k.owner_id, k.owner_handle, k.name, k.provider, k.limit_micro_usd,"
                                    + " k.spent_micro_usd, k.secret_version FROM project_bindings b"
                                    + " LEFT JOIN provider_keys k ON k.id = b.key_id WHERE b.project = $1")
                    .execute(Tuple.of(project))
                    .chain(rows -> {
                        Row row = rows.size() == 0 ? null : rows.iterator().next();
                        String model = row == null || row.getString("model") == null ? "" : row.getString("model");
                        if (row == null || row.getUUID("id") == null) {
                            return Uni.createFrom()
                                    .item(() -> new ResolvedKey(
                                            null,
                                            platform.provider().id(),
                                            model.isEmpty() ? platform.model() : model,
                                            platform.value()));
                        }
                        return ownerStillResearcher(row, project).chain(() -> fromStore(row, model));
                    });
        });
    }

    /**
     * A key serves a project only while its owner may still bind it there: an owner who left the
     * project, or dropped below researcher, takes the key's value with them (DESIGN §4: a teammate
     * never gets another user's key otherwise).
     */
    private Uni<Void> ownerStillResearcher(Row row, String project) {
        return access.roleOf(row.getUUID("owner_id"), project)
                .invoke(role -> {
                    if (role.getNumber() < Role.ROLE_RESEARCHER.getNumber()) {
                        throw Errors.failedPrecondition("the key \"" + row.getString("name") + "\" bound to " + project
                                + " belongs to " + row.getString("owner_handle")
                                + ", who is no longer a researcher or above on"
                                + " it; a researcher must bind another key (`autolab keys use KEY`) or the platform key"
                                + " (`autolab keys use platform`)");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<ResolvedKey> fromStore(Row row, String model) {
        UUID keyId = row.getUUID("id");
        Long limit = row.getLong("limit_micro_usd");
        long spent = row.getLong("spent_micro_usd");
        String name = row.getString("name");
        if (limit != null && spent >= limit) {
            return Uni.createFrom()
                    .failure(Errors.resourceExhausted(
                            "key \"" + name + "\" (" + keyId.toString().substring(0, 8)
                                    + ") has reached its spending limit of " + Limits.usd(limit) + " (spent "
                                    + Limits.usd(spent) + "); raise it with `autolab keys limit " + name
                                    + " USD`, remove it with `autolab "
                                    + "keys limit " + name + " none`, or switch the project to another key"));
        }
        int version = row.getInteger("secret_version");
        String provider = Provider.orNull(row.getString("provider")).id();
        String cached = cache.get(keyId, version);
        if (cached != null) {
            return Uni.createFrom().item(new ResolvedKey(keyId, provider, model, cached));
        }
        return store.read(new SecretRef(keyId, row.getUUID("owner_id")), version)
                .invoke(value -> cache.put(keyId, version, value))
                .map(value -> new ResolvedKey(keyId, provider, model, value));
    }
}
