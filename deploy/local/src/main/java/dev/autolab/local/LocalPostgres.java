package dev.autolab.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * A real PostgreSQL with nothing installed (zonky's embedded binaries), its data kept under
 * {@code <home>/postgres} between runs, with the databases the services own created when missing.
 *
 * <p>On a shared machine it is not an open door: every connection needs the password that
 * {@code <home>/postgres/password} (0600, in 0700 folders) holds, generated on first start; it
 * listens on 127.0.0.1 only, with no Unix socket. Unlike zonky's test defaults it keeps
 * {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on: this database is
 * the developer's data, kept between runs, and must survive a crash or a power cut.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String USER = "postgres";

    /** Keeps zonky's chatter (it logs every line PostgreSQL prints) off the console; held so it is not collected. */
    private static final Logger ZONKY = Logger.getLogger("io.zonky");

    private static final String HBA = """
            # Written by autolab-dev (LocalPostgres) at every start: every connection needs the password
            # kept in ../password. Only loopback TCP is configured (listen_addresses=127.0.0.1, no socket).
            host    all    all    127.0.0.1/32    scram-sha-256
            host    all    all    ::1/128         scram-sha-256
            local   all    all                    scram-sha-256
            """;

    private final Path data;
    private final Path work;
    private final Path logs;
    private final int port;
    private final String password;
    private EmbeddedPostgres postgres;

    private LocalPostgres(Path dir, Path logs, int port, String password) {
        this.data = dir.resolve("data");
        this.work = dir.resolve("work");
        this.logs = logs;
        this.port = port;
        this.password = password;
    }

    /**
     * Starts the cluster under {@code <home>/postgres}, after stopping a PostgreSQL left running
     * there by a launcher that died without stopping it. A data folder from an older run (trust
     * authentication, no password) is given a password before it first listens.
     */
    public static LocalPostgres start(Path home, int port, List<String> databases) throws IOException, SQLException {
        Path dir = Secrets.privateDirectory(home.resolve("postgres"));
        Path data = dir.resolve("data");
        Path work = dir.resolve("work");
        Path logs = home.resolve("logs");
        Files.createDirectories(work);
        Files.createDirectories(logs);
        try {
            if (Postmaster.stop(data)) {
                System.err.println("stopped a PostgreSQL left running in " + data + " by an earlier autolab-dev");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the PostgreSQL left running in " + data, e);
        }
        Path passwordFile = dir.resolve("password");
        String password = Secrets.read(passwordFile);
        boolean initialized = Files.exists(data.resolve("postgresql.conf"));
        if (password == null) {
            password = Secrets.newPassword();
            if (initialized) {
                upgrade(data, work, logs, port, password);
            }
            Secrets.write(passwordFile, password);
        }
        if (initialized) {
            Files.writeString(data.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
        }
        LocalPostgres local = new LocalPostgres(dir, logs, port, password);
        local.startServer(initialized ? null : passwordFile);
        local.createMissing(databases);
        return local;
    }

    private void startServer(Path newClusterPasswordFile) throws IOException {
        ZONKY.setLevel(Level.WARNING);
        ProcessBuilder.Redirect log =
                ProcessBuilder.Redirect.appendTo(logs.resolve("postgres.log").toFile());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(work.toFile())
                .setPort(port)
                .setConnectConfig("password", password)
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // pg_ctl hands these options to a shell: '' is the empty list (no Unix socket).
                .setServerConfig("unix_socket_directories", "''")
                .setServerConfig("password_encryption", "scram-sha-256")
                // zonky starts PostgreSQL with -F (fsync off) and synchronous_commit=off, fine for
                // throw-away test databases, not for data kept between runs; -c options come after -F.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on");
        if (newClusterPasswordFile != null) {
            // zonky passes its locale options to initdb as --key=value after its own "-A trust":
            // the new cluster gets the superuser's password and scram-sha-256 in pg_hba.conf from
            // the start, so it never accepts a connection without the password.
            builder.setLocaleConfig("pwfile", newClusterPasswordFile.toString())
                    .setLocaleConfig("auth", "scram-sha-256");
        }
        postgres = builder.start();
    }

    /**
     * Gives a cluster from an older run (trust for every local connection, no password) the
     * superuser password and our pg_hba.conf. It has to be started once as it was to run the
     * ALTER ROLE: for that second or so it accepts loopback connections without a password, as it
     * did for its whole life before, and never again after. (Single-user mode would avoid even
     * that, but it refuses to run as root, and pg_ctl-started servers are what zonky supports.)
     */
    private static void upgrade(Path data, Path work, Path logs, int port, String password)
            throws IOException, SQLException {
        ProcessBuilder.Redirect log =
                ProcessBuilder.Redirect.appendTo(logs.resolve("postgres.log").toFile());
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setOutputRedirector(log)
                        .setErrorRedirector(log)
                        .setDataDirectory(data)
                        .setCleanDataDirectory(false)
                        .setOverrideWorkingDirectory(work.toFile())
                        .setPort(port)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("unix_socket_directories", "''")
                        .start();
                Connection c = old.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("SET log_statement = 'none'");
            s.execute("SET log_min_error_statement = 'panic'");
            s.execute("ALTER ROLE " + USER + " WITH PASSWORD '" + password + "'");
            Files.writeString(data.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
            s.execute("SELECT pg_reload_conf()");
        }
        try {
            Postmaster.stop(data);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restarting PostgreSQL", e);
        }
    }

    public int port() {
        return port;
    }

    public String user() {
        return USER;
    }

    /** The superuser's password; the services get it through their environment, never a command line. */
    public String password() {
        return password;
    }

    public Path dataDirectory() {
        return data;
    }

    public Path workDirectory() {
        return work;
    }

    private void createMissing(List<String> databases) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
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
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops the server, keeping its data; {@link #restart()} brings it back on the same port (for outage tests). */
    public synchronized void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        try {
            // zonky stops it with pg_ctl, which refuses to run as root: make sure it is down.
            Postmaster.stop(data);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL", e);
        }
    }

    public synchronized void restart() throws IOException {
        if (postgres == null) {
            startServer(null);
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    /** {@code LocalPostgres DIR PORT DB...}: runs until killed; prints the port once ready. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LocalPostgres DIR PORT [DATABASE...]");
            System.exit(2);
        }
        LocalPostgres pg =
                start(Path.of(args[0]), Integer.parseInt(args[1]), List.of(args).subList(2, args.length));
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
