package dev.autolab.keys.spend;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.Errors;
import dev.autolab.keys.key.Names;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Spend reports from execution nodes. Idempotent on the node's usage id (a unique key: a retried
 * report inserts nothing and adds nothing) and exact under concurrency: the usage row and a single
 * {@code UPDATE ... SET spent = spent + n} commit together, and PostgreSQL serializes the updates.
 */
@ApplicationScoped
public class SpendService {
    static final int MAX_USAGE_ID = 128;
    /** One report's ceiling, $1,000: a larger one is a bug or an attack, and spend cannot be taken back. */
    static final long MAX_REPORT_MICRO_USD = 1_000_000_000L;

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    /** Totals after a report: spend so far and the limit (null when none). */
    public record Totals(long spentMicroUsd, Long limitMicroUsd) {}

    public Uni<Totals> record(
            Principal node, String requestedProject, String keyIdText, long microUsd, String usageId) {
        return Uni.createFrom().deferred(() -> {
            String project = NodeProjects.require(node, requestedProject);
            if (usageId == null
                    || usageId.isBlank()
                    || usageId.length() > MAX_USAGE_ID
                    || usageId.chars().anyMatch(Character::isISOControl)) {
                throw Errors.invalidArgument("a usage report needs a usage id (1-" + MAX_USAGE_ID
                        + " printable characters, unique per report) so that a retry is not counted twice");
            }
            if (microUsd < 0 || microUsd > MAX_REPORT_MICRO_USD) {
                throw Errors.invalidArgument("one usage report is between 0 and " + MAX_REPORT_MICRO_USD
                        + " micro-dollars ($1,000); got " + microUsd);
            }
            UUID keyId = parseKeyId(keyIdText);
            return pool.withTransaction(db -> requireBound(db, project, keyId)
                    .chain(() -> db.preparedQuery(
                                    "INSERT INTO usage_reports (usage_id, project, key_id, micro_usd, recorded_at)"
                                            + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project, usage_id) DO NOTHING")
                            .execute(Tuple.from(Arrays.asList(
                                    usageId,
                                    project,
                                    keyId,
                                    microUsd,
                                    OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)))))
                    .call(inserted -> inserted.rowCount() == 1
                            ? Uni.createFrom().voidItem()
                            : requireSameReport(db, project, usageId, keyId, microUsd))
                    .chain(inserted -> {
                        boolean fresh = inserted.rowCount() == 1;
                        if (keyId == null) {
                            return platformTotals(db, project);
                        }
                        String sql = fresh
                                ? "UPDATE provider_keys SET spent_micro_usd = spent_micro_usd + $2 WHERE id = $1"
                                        + " RETURNING spent_micro_usd, limit_micro_usd"
                                : "SELECT spent_micro_usd, limit_micro_usd FROM provider_keys WHERE id = $1";
                        Tuple args = fresh ? Tuple.of(keyId, microUsd) : Tuple.of(keyId);
                        return db.preparedQuery(sql).execute(args).map(rows -> {
                            var r = rows.iterator().next();
                            return new Totals(r.getLong("spent_micro_usd"), r.getLong("limit_micro_usd"));
                        });
                    }));
        });
    }

    /** A replay must be the same report; a different one under a used id would silently count nothing. */
    private static Uni<Void> requireSameReport(
            SqlConnection db, String project, String usageId, UUID keyId, long microUsd) {
        return db.preparedQuery("SELECT key_id, micro_usd FROM usage_reports WHERE project = $1 AND usage_id = $2")
                .execute(Tuple.of(project, usageId))
                .invoke(rows -> {
                    var r = rows.iterator().next();
                    if (!java.util.Objects.equals(r.getUUID("key_id"), keyId) || r.getLong("micro_usd") != microUsd) {
                        throw Errors.alreadyExists("usage id \"" + Names.printable(usageId) + "\" was already reported"
                                + " with another key or amount; give each report its own usage id");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> requireBound(SqlConnection db, String project, UUID keyId) {
        if (keyId == null) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery("SELECT 1 FROM project_bindings WHERE project = $1 AND key_id = $2")
                .execute(Tuple.of(project, keyId))
                .invoke(rows -> {
                    if (rows.size() == 0) {
                        throw Errors.notFound(
                                "key " + keyId + " is not the key of " + project + "; resolve the project's key again");
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<Totals> platformTotals(SqlConnection db, String project) {
        return db.preparedQuery("SELECT COALESCE(SUM(micro_usd), 0) AS spent FROM usage_reports"
                        + " WHERE project = $1 AND key_id IS NULL")
                .execute(Tuple.of(project))
                .map(rows -> new Totals(rows.iterator().next().getLong("spent"), null));
    }

    private static UUID parseKeyId(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(text.trim());
        } catch (IllegalArgumentException e) {
            throw Errors.invalidArgument(
                    "\"" + Names.printable(text) + "\" is not a key id (a UUID from ResolveProjectKey)");
        }
    }
}
