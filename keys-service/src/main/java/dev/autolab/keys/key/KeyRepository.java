package dev.autolab.keys.key;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Key metadata rows. Every method takes the connection (or pool) so callers choose the transaction. */
@ApplicationScoped
public class KeyRepository {
    private static final String COLUMNS = "k.id, k.owner_id, k.owner_handle, k.name, k.provider, k.hint,"
            + " k.limit_micro_usd, k.spent_micro_usd, k.secret_version, k.created_at,"
            + " ARRAY(SELECT b.project FROM project_bindings b WHERE b.key_id = k.id ORDER BY b.project) AS projects";

    public Uni<List<ProviderKey>> listByOwner(SqlClient db, UUID ownerId) {
        return db.preparedQuery("SELECT " + COLUMNS
                        + " FROM provider_keys k WHERE k.owner_id = $1 ORDER BY k.created_at, k.name")
                .execute(Tuple.of(ownerId))
                .map(rows -> {
                    List<ProviderKey> keys = new ArrayList<>();
                    rows.forEach(r -> keys.add(map(r)));
                    return keys;
                });
    }

    /** The owner's keys named {@code ref} or whose id starts with it (locked with FOR UPDATE when asked). */
    public Uni<List<ProviderKey>> findByRef(SqlClient db, UUID ownerId, String ref, boolean lock) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM provider_keys k WHERE k.owner_id = $1"
                        + " AND (k.name = $2 OR k.id::text LIKE $3) ORDER BY k.created_at"
                        + (lock ? " FOR UPDATE OF k" : ""))
                .execute(Tuple.of(ownerId, ref, ref.toLowerCase(java.util.Locale.ROOT) + "%"))
                .map(rows -> {
                    List<ProviderKey> keys = new ArrayList<>();
                    rows.forEach(r -> keys.add(map(r)));
                    return keys;
                });
    }

    public Uni<ProviderKey> findById(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM provider_keys k WHERE k.id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    public Uni<Boolean> nameTaken(SqlClient db, UUID ownerId, String name) {
        return db.preparedQuery("SELECT 1 FROM provider_keys WHERE owner_id = $1 AND name = $2")
                .execute(Tuple.of(ownerId, name))
                .map(rows -> rows.size() > 0);
    }

    public Uni<Void> insert(SqlClient db, ProviderKey k) {
        return db.preparedQuery(
                        "INSERT INTO provider_keys (id, owner_id, owner_handle, name, provider, hint,"
                                + " limit_micro_usd, spent_micro_usd, secret_version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)")
                .execute(Tuple.from(Arrays.asList(
                        k.id(),
                        k.ownerId(),
                        k.ownerHandle(),
                        k.name(),
                        k.provider().id(),
                        k.hint(),
                        k.limitMicroUsd(),
                        k.secretVersion(),
                        OffsetDateTime.ofInstant(k.createdAt(), ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    public Uni<Void> update(SqlClient db, ProviderKey k) {
        return db.preparedQuery(
                        "UPDATE provider_keys SET name = $2, hint = $3, limit_micro_usd = $4, secret_version = $5"
                                + " WHERE id = $1")
                .execute(Tuple.from(Arrays.asList(k.id(), k.name(), k.hint(), k.limitMicroUsd(), k.secretVersion())))
                .replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient db, UUID id) {
        return db.preparedQuery("DELETE FROM provider_keys WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    static ProviderKey map(Row r) {
        String[] projects = r.getArrayOfStrings("projects");
        return new ProviderKey(
                r.getUUID("id"),
                r.getUUID("owner_id"),
                r.getString("owner_handle"),
                r.getString("name"),
                Provider.orNull(r.getString("provider")),
                r.getString("hint"),
                r.getLong("limit_micro_usd"),
                r.getLong("spent_micro_usd"),
                r.getInteger("secret_version"),
                r.getOffsetDateTime("created_at").toInstant(),
                projects == null ? List.of() : List.of(projects));
    }
}
