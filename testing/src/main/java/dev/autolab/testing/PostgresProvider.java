package dev.autolab.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Finds a real PostgreSQL for tests, in the order DESIGN §9 gives: {@code AUTOLAB_TEST_PG_URL}
 * ({@code postgresql://user:password@host:port/anydb}), Testcontainers when Docker is there,
 * otherwise an embedded PostgreSQL (zonky) working under {@code target/}. One server per JVM; each
 * caller gets a fresh database on it. When none can be had, it fails loudly: tests never skip.
 */
public final class PostgresProvider {
    public static final String URL_VARIABLE = "AUTOLAB_TEST_PG_URL";
    private static PostgresServer server;

    private PostgresProvider() {}

    public static synchronized PostgresServer server() {
        if (server == null) {
            server = start();
            System.err.println("test PostgreSQL: " + server.source() + " on port " + server.port());
        }
        return server;
    }

    /** Creates a new, empty database named {@code prefix_<random>} and returns its name. */
    public static String createDatabase(String prefix) {
        PostgresServer pg = server();
        String name = prefix + "_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + pg.source(), e);
        }
        return name;
    }

    private static PostgresServer start() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return fromUrl(url);
        }
        if (dockerAvailable()) {
            return fromTestcontainers();
        }
        return embedded(Path.of("target", "embedded-postgres"));
    }

    private static PostgresServer fromUrl(String url) {
        URI uri = URI.create(url);
        String[] userInfo = uri.getUserInfo() == null
                ? new String[] {"postgres", ""}
                : uri.getUserInfo().split(":", 2);
        return new PostgresServer(
                uri.getHost(),
                uri.getPort() > 0 ? uri.getPort() : 5432,
                userInfo[0],
                userInfo.length > 1 ? userInfo[1] : "",
                URL_VARIABLE);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives as long as the JVM
    private static PostgresServer fromTestcontainers() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        return new PostgresServer(
                container.getHost(),
                container.getFirstMappedPort(),
                container.getUsername(),
                container.getPassword(),
                "Testcontainers");
    }

    /** Starts an embedded PostgreSQL whose scratch files live under {@code workDir}; stopped at JVM exit. */
    public static PostgresServer embedded(Path workDir) {
        try {
            File dir = workDir.toAbsolutePath().toFile();
            dir.mkdirs();
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(dir)
                    .setServerConfig("max_connections", "200")
                    .start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    pg.close();
                                } catch (IOException ignored) {
                                    // the JVM is going away either way
                                }
                            },
                            "embedded-postgres-stop"));
            return new PostgresServer("localhost", pg.getPort(), "postgres", "postgres", "embedded PostgreSQL");
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot start embedded PostgreSQL (set " + URL_VARIABLE + " to use an existing server): "
                            + e.getMessage(),
                    e);
        }
    }
}
