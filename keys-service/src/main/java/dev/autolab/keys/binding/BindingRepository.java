package dev.autolab.keys.binding;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class BindingRepository {
    /** A project's row: the bound key's id (null on the platform key) and the pinned model (empty for none). */
    public record Binding(UUID keyId, String model) {}

    public Uni<Binding> find(SqlClient db, String project) {
        return db.preparedQuery("SELECT key_id, model FROM project_bindings WHERE project = $1")
                .execute(Tuple.of(project))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    public Uni<Void> upsert(SqlClient db, String project, UUID keyId, String model, UUID by, Instant at) {
        return db.preparedQuery("INSERT INTO project_bindings (project, key_id, model, bound_by, bound_at)"
                        + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project) DO UPDATE SET key_id = EXCLUDED.key_id,"
                        + " model = EXCLUDED.model, bound_by = EXCLUDED.bound_by, bound_at = EXCLUDED.bound_at")
                .execute(Tuple.from(Arrays.asList(
                        project,
                        keyId,
                        model.isEmpty() ? null : model,
                        by,
                        OffsetDateTime.ofInstant(at, ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient db, String project) {
        return db.preparedQuery("DELETE FROM project_bindings WHERE project = $1")
                .execute(Tuple.of(project))
                .replaceWithVoid();
    }

    private static Binding map(Row r) {
        String model = r.getString("model");
        return new Binding(r.getUUID("key_id"), model == null ? "" : model);
    }
}
