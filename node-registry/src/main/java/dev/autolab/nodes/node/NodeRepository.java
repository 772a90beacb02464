package dev.autolab.nodes.node;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.autolab.proto.nodes.v1.Resources;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The nodes table. Every method takes the connection (or pool) so callers choose the transaction. */
@ApplicationScoped
public class NodeRepository {
    private static final String COLUMNS = "id, project, machine_id, hostname, labels::text AS labels,"
            + " resources::text AS resources, registered_by, registered_by_user, registered_at, last_seen_at,"
            + " lease_expires_at";

    /**
     * Serializes registrations of one machine of one project until the transaction ends, so that two at
     * once find the same node (the second after the first committed) instead of minting for two ids.
     */
    public Uni<Void> lockMachine(SqlClient db, String project, String machineId) {
        return db.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))")
                .execute(Tuple.of(project, machineId))
                .replaceWithVoid();
    }

    /** Serializes the count-and-insert of new nodes of one project, so that the cap holds under concurrency. */
    public Uni<Void> lockProject(SqlClient db, String project) {
        return db.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1))")
                .execute(Tuple.of(project))
                .replaceWithVoid();
    }

    public Uni<Node> findByMachine(SqlClient db, String project, String machineId) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM nodes WHERE project = $1 AND machine_id = $2")
                .execute(Tuple.of(project, machineId))
                .map(NodeRepository::first);
    }

    public Uni<Node> findById(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM nodes WHERE id = $1")
                .execute(Tuple.of(id))
                .map(NodeRepository::first);
    }

    public Uni<Long> count(SqlClient db, String project) {
        return db.preparedQuery("SELECT count(*) AS n FROM nodes WHERE project = $1")
                .execute(Tuple.of(project))
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    public Uni<List<Node>> listByProject(SqlClient db, String project) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM nodes WHERE project = $1 ORDER BY hostname, registered_at")
                .execute(Tuple.of(project))
                .map(NodeRepository::all);
    }

    /** The project's nodes whose id is {@code ref}, starts with it (4+ hex digits), or whose name is {@code ref}. */
    public Uni<List<Node>> findByRef(SqlClient db, String project, String ref) {
        String lower = ref.toLowerCase(Locale.ROOT);
        boolean idPrefix = lower.matches("^[0-9a-f-]{4,36}$");
        return db.preparedQuery("SELECT " + COLUMNS + " FROM nodes WHERE project = $1"
                        + " AND (hostname = $2 OR ($3 AND id::text LIKE $4)) ORDER BY hostname, registered_at")
                .execute(Tuple.of(project, ref, idPrefix, lower + "%"))
                .map(NodeRepository::all);
    }

    public Uni<Void> insert(SqlClient db, Node n) {
        return db.preparedQuery("INSERT INTO nodes (id, project, machine_id, hostname, labels, resources,"
                        + " registered_by, registered_by_user, registered_at)"
                        + " VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7, $8, $9)")
                .execute(Tuple.from(Arrays.asList(
                        n.id(),
                        n.project(),
                        n.machineId(),
                        n.hostname(),
                        NodeJson.labels(n.labels()),
                        NodeJson.resources(n.resources()),
                        n.registeredBy(),
                        n.registeredByUser(),
                        utc(n.registeredAt()))))
                .replaceWithVoid();
    }

    /** A registration again: what the node reports now, and who registered it (its lease is left alone). */
    public Uni<Void> updateRegistration(SqlClient db, Node n) {
        return db.preparedQuery("UPDATE nodes SET hostname = $2, labels = $3::text::jsonb, resources = $4::text::jsonb,"
                        + " registered_by = $5, registered_by_user = $6, registered_at = $7 WHERE id = $1")
                .execute(Tuple.from(Arrays.asList(
                        n.id(),
                        n.hostname(),
                        NodeJson.labels(n.labels()),
                        NodeJson.resources(n.resources()),
                        n.registeredBy(),
                        n.registeredByUser(),
                        utc(n.registeredAt()))))
                .replaceWithVoid();
    }

    /**
     * Writes many leases in one statement (the batched flush): {@code resources[i]} is null when node i
     * reported none since the last flush. A lease stored by another replica that saw the node more
     * recently (it reconnected there) is left alone: this replica's is the older news.
     */
    public Uni<Integer> writeLeases(
            SqlClient db, UUID[] ids, OffsetDateTime[] lastSeen, OffsetDateTime[] leases, Resources[] reported) {
        String[] resources = new String[reported.length];
        for (int i = 0; i < reported.length; i++) {
            resources[i] = reported[i] == null ? null : NodeJson.resources(reported[i]);
        }
        return db.preparedQuery("UPDATE nodes SET last_seen_at = u.seen, lease_expires_at = u.lease,"
                        + " resources = coalesce(u.resources::jsonb, nodes.resources)"
                        + " FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::text[])"
                        + " AS u(id, seen, lease, resources) WHERE nodes.id = u.id"
                        + " AND (nodes.last_seen_at IS NULL OR nodes.last_seen_at <= u.seen)")
                .execute(Tuple.of(ids, lastSeen, leases, resources))
                .map(RowSet::rowCount);
    }

    /** Nodes offline since before {@code cutoff} (never connected counts from registration), oldest first. */
    public Uni<List<Node>> offlineSince(SqlClient db, Instant cutoff, int limit) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM nodes"
                        + " WHERE coalesce(lease_expires_at, registered_at) < $1"
                        + " ORDER BY coalesce(lease_expires_at, registered_at) LIMIT $2")
                .execute(Tuple.of(utc(cutoff), limit))
                .map(NodeRepository::all);
    }

    public Uni<Boolean> delete(SqlClient db, UUID id) {
        return db.preparedQuery("DELETE FROM nodes WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Deletes the node only while it is still offline since before {@code cutoff} (it may have come back). */
    public Uni<Boolean> deleteIfOfflineSince(SqlClient db, UUID id, Instant cutoff) {
        return db.preparedQuery("DELETE FROM nodes WHERE id = $1 AND coalesce(lease_expires_at, registered_at) < $2")
                .execute(Tuple.of(id, utc(cutoff)))
                .map(rows -> rows.rowCount() > 0);
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Node first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : map(rows.iterator().next());
    }

    private static List<Node> all(RowSet<Row> rows) {
        List<Node> nodes = new ArrayList<>();
        rows.forEach(r -> nodes.add(map(r)));
        return nodes;
    }

    private static Node map(Row r) {
        return new Node(
                r.getUUID("id"),
                r.getString("project"),
                r.getString("machine_id"),
                r.getString("hostname"),
                NodeJson.labels(r.getString("labels")),
                NodeJson.resources(r.getString("resources")),
                r.getString("registered_by"),
                r.getUUID("registered_by_user"),
                instant(r.getOffsetDateTime("registered_at")),
                instant(r.getOffsetDateTime("last_seen_at")),
                instant(r.getOffsetDateTime("lease_expires_at")));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
