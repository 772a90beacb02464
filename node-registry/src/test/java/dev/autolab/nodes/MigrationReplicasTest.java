package dev.autolab.nodes;

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
        ConcurrentMigrations.assertLikeOneReplica("autolab_nodes", MIGRATIONS, 3);
    }
}
