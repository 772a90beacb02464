package dev.autolab.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL with nothing installed (zonky's embedded binaries), its data kept under a
 * folder between runs, with the databases the services own created when missing.
 */
public final class LocalPostgres implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Keeps zonky's chatter (it logs every line PostgreSQL prints) off the console; held so it is not collected. */
    private static final Logger ZONKY = Logger.getLogger("io.zonky");

    public static LocalPostgres start(Path home, int port, List<String> databases) throws IOException, SQLException {
        Path data = home.resolve("postgres/data");
        Path work = home.resolve("postgres/work");
        Path logs = home.resolve("logs");
        Files.createDirectories(data);
        Files.createDirectories(work);
        Files.createDirectories(logs);
        ZONKY.setLevel(Level.WARNING);
        ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logs.resolve("postgres.log").toFile());
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(work.toFile())
                .setPort(port)
                .setServerConfig("max_connections", "200")
                .start();
        LocalPostgres local = new LocalPostgres(pg);
        local.createMissing(databases);
        return local;
    }

    public int port() {
        return postgres.getPort();
    }

    private void createMissing(List<String> databases) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "postgres");
                Statement s = c.createStatement()) {
            for (String db : databases) {
                try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
                    if (!r.next()) {
                        s.execute("CREATE DATABASE " + db);
                    }
                }
            }
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://localhost:" + port() + "/" + database;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /** {@code LocalPostgres DIR PORT DB...}: runs until killed; prints the port once ready. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LocalPostgres DIR PORT [DATABASE...]");
            System.exit(2);
        }
        LocalPostgres pg = start(Path.of(args[0]), Integer.parseInt(args[1]),
                List.of(args).subList(2, args.length));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException e) {
                System.err.println("stopping PostgreSQL: " + e.getMessage());
            }
        }));
        System.out.println("postgres ready on port " + pg.port());
        Thread.currentThread().join();
    }
}
