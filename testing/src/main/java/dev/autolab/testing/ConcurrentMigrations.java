package dev.autolab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * A service's Flyway migrations as several replicas run them when they start at once: one Flyway per
 * replica, each with its own connections, released together on one fresh database. Flyway serialises
 * them with a PostgreSQL advisory lock; {@link #run} reports what each did and what the database then
 * holds, and {@link #sequential} the schema one replica alone makes, to compare.
 */
public final class ConcurrentMigrations {
    /** What each replica's migrate() did, the applied versions in order, and the resulting schema. */
    public record Result(List<MigrateResult> replicas, List<String> history, List<String> schema) {
        /** Migrations executed, summed over the replicas: each one exactly once means the total. */
        public int executed() {
            return replicas.stream().mapToInt(r -> r.migrationsExecuted).sum();
        }
    }

    private ConcurrentMigrations() {}

    /**
     * What every service's replica test checks: {@code replicas} migrating at once all succeed, each migration is
     * executed exactly once and recorded as successful, and the schema is the one a single replica makes.
     */
    public static void assertLikeOneReplica(String prefix, String location, int replicas) throws Exception {
        Result result = run(prefix + "_replicas", location, replicas);
        List<String> alone = sequential(prefix + "_alone", location);

        assertFalse(result.history().isEmpty(), "no migration found at " + location);
        assertEquals(result.history().size(), result.executed(), "each migration executed once: " + result.history());
        assertEquals(result.history().stream().distinct().toList(), result.history());
        result.history().forEach(row -> assertEquals(true, row.endsWith(":true"), row));
        assertEquals(alone, result.schema());
    }

    /** {@code replicas} migrations of {@code location} released at the same moment on a fresh database. */
    public static Result run(String prefix, String location, int replicas) throws Exception {
        PostgresServer pg = PostgresProvider.server();
        String database = PostgresProvider.createDatabase(prefix);
        CyclicBarrier together = new CyclicBarrier(replicas);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            List<Callable<MigrateResult>> starts = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                Flyway flyway = flyway(pg, database, location);
                starts.add(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return flyway.migrate();
                });
            }
            List<MigrateResult> results = new ArrayList<>();
            for (Future<MigrateResult> start : pool.invokeAll(starts)) {
                results.add(start.get()); // a failed migrate() throws here
            }
            return new Result(results, history(pg, database), schema(pg, database));
        } finally {
            pool.shutdownNow();
        }
    }

    /** The schema {@code location} makes when one replica migrates alone. */
    public static List<String> sequential(String prefix, String location) throws SQLException {
        PostgresServer pg = PostgresProvider.server();
        String database = PostgresProvider.createDatabase(prefix);
        flyway(pg, database, location).migrate();
        return schema(pg, database);
    }

    private static Flyway flyway(PostgresServer pg, String database, String location) {
        // As Quarkus configures it by default (quarkus.flyway.*): only the location and the connection.
        return Flyway.configure()
                .dataSource(pg.jdbcUrl(database), pg.user(), pg.password())
                .locations(location)
                .load();
    }

    private static List<String> history(PostgresServer pg, String database) throws SQLException {
        return query(
                pg,
                database,
                "SELECT version || ':' || success FROM flyway_schema_history WHERE version IS NOT NULL "
                        + "ORDER BY installed_rank");
    }

    /** Every table's columns, index and constraint of the public schema, as comparable lines. */
    private static List<String> schema(PostgresServer pg, String database) throws SQLException {
        List<String> schema = new ArrayList<>(query(
                pg,
                database,
                "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' "
                        + "|| coalesce(column_default, '') FROM information_schema.columns "
                        + "WHERE table_schema = 'public' ORDER BY 1"));
        schema.addAll(query(
                pg,
                database,
                "SELECT tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"));
        schema.addAll(query(
                pg,
                database,
                "SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                        + "WHERE connamespace = 'public'::regnamespace ORDER BY 1"));
        return schema;
    }

    private static List<String> query(PostgresServer pg, String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(1));
            }
            return rows;
        }
    }
}
