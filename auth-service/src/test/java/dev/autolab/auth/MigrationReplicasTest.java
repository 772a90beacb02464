package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.autolab.testing.ConcurrentMigrations;

/**
 * Replicas starting at once all run Flyway at start ({@code quarkus.flyway.migrate-at-start}): on one
 * fresh database every one of them succeeds, each migration runs exactly once (Flyway's PostgreSQL
 * advisory lock serialises them), and the schema is the one a single replica makes.
 */
class MigrationReplicasTest {
    private static final String MIGRATIONS = "classpath:db/migration";

    @Test
    void threeReplicasMigratingAtOnceApplyEachMigrationOnce() throws Exception {
        ConcurrentMigrations.Result result = ConcurrentMigrations.run("autolab_auth_replicas", MIGRATIONS, 3);
        List<String> alone = ConcurrentMigrations.sequential("autolab_auth_alone", MIGRATIONS);

        assertFalse(result.history().isEmpty(), "no migration found at " + MIGRATIONS);
        assertEquals(result.history().size(), result.executed(), "each migration executed once: " + result.history());
        assertEquals(result.history().stream().distinct().toList(), result.history());
        result.history().forEach(row -> assertEquals(true, row.endsWith(":true"), row));
        assertEquals(alone, result.schema());
    }
}
