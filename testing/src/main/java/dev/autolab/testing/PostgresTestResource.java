package dev.autolab.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} its own fresh database on a real PostgreSQL (see
 * {@link PostgresProvider}). Init arg {@code database} names the prefix (default {@code autolab}).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    private String prefix = "autolab";

    @Override
    public void init(Map<String, String> initArgs) {
        prefix = initArgs.getOrDefault("database", prefix);
    }

    @Override
    public Map<String, String> start() {
        PostgresServer pg = PostgresProvider.server();
        String database = PostgresProvider.createDatabase(prefix);
        return Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(database),
                "quarkus.datasource.reactive.url", pg.reactiveUrl(database),
                "quarkus.datasource.username", pg.user(),
                "quarkus.datasource.password", pg.password());
    }

    @Override
    public void stop() {
        // The server outlives the test class; databases are scratch and go with target/.
    }
}
