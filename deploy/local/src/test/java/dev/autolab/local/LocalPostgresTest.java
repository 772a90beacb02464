package dev.autolab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The local suite's database on a shared machine: a password, loopback only, durable commits, no leftovers. */
class LocalPostgresTest {
    private static Path newHome() throws Exception {
        Files.createDirectories(Path.of("target"));
        return Files.createTempDirectory(Path.of("target").toAbsolutePath(), "home-");
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW " + setting)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void needsTheGeneratedPasswordListensOnLoopbackAndCommitsDurably() throws Exception {
        Path home = newHome();
        try (LocalPostgres pg = LocalPostgres.start(home, DevSuite.freePort(), List.of("autolab_auth"))) {
            Path file = home.resolve("postgres/password");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(
                    "rwx------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("postgres"))));
            assertEquals(pg.password(), Files.readString(file).strip());
            assertTrue(pg.password().length() >= 32, "a long random password");

            SQLException none = assertThrows(
                    SQLException.class,
                    () -> DriverManager.getConnection(pg.jdbcUrl("autolab_auth"), "postgres", "")
                            .close());
            assertTrue(none.getMessage().contains("password"), none.getMessage());
            SQLException wrong = assertThrows(
                    SQLException.class,
                    () -> DriverManager.getConnection(pg.jdbcUrl("autolab_auth"), "postgres", "postgres")
                            .close());
            assertTrue(wrong.getMessage().contains("password authentication failed"), wrong.getMessage());

            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("autolab_auth"), pg.user(), pg.password())) {
                assertEquals("127.0.0.1", show(c, "listen_addresses"));
                assertEquals("", show(c, "unix_socket_directories"));
                assertEquals("on", show(c, "fsync"));
                assertEquals("on", show(c, "synchronous_commit"));
                assertEquals("on", show(c, "full_page_writes"));
                try (Statement s = c.createStatement();
                        ResultSet r = s.executeQuery(
                                "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'")) {
                    r.next();
                    assertEquals(0, r.getInt(1), "every pg_hba.conf rule asks for the password");
                }
            }
        }
        // A second start reuses the password file.
        String first = Files.readString(home.resolve("postgres/password"));
        try (LocalPostgres pg = LocalPostgres.start(home, DevSuite.freePort(), List.of("autolab_auth"))) {
            assertEquals(first.strip(), pg.password());
        }
    }

    @Test
    void aDatabaseFromAnOlderRunWithoutPasswordIsUpgradedInPlace() throws Exception {
        Path home = newHome();
        Path data = home.resolve("postgres/data");
        int oldPort = DevSuite.freePort();
        // What earlier versions of the suite left: zonky's defaults, trust for everyone, no password file.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(false)
                        .setOverrideWorkingDirectory(
                                home.resolve("postgres/work").toFile())
                        .setPort(oldPort)
                        .start();
                Connection c = old.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('still here')");
        }
        assertFalse(Files.exists(home.resolve("postgres/password")));

        try (LocalPostgres pg = LocalPostgres.start(home, DevSuite.freePort(), List.of("autolab_auth"))) {
            assertThrows(
                    SQLException.class,
                    () -> DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "")
                            .close());
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT v FROM kept")) {
                assertTrue(r.next());
                assertEquals("still here", r.getString(1));
            }
            assertFalse(Files.readString(data.resolve("pg_hba.conf")).contains("trust"));
            assertFalse(
                    Files.readString(home.resolve("logs/postgres.log")).contains(pg.password()),
                    "the password never reaches the log");
        }
    }

    @Test
    void aPostgresLeftRunningByAKilledLauncherIsStoppedByTheNextStart() throws Exception {
        Path home = newHome();
        Path data = home.resolve("postgres/data");
        Process launcher = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LocalPostgres.class.getName(),
                        home.toString(),
                        String.valueOf(DevSuite.freePort()),
                        "autolab_auth")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("postgres ready"), "LocalPostgres started: " + line);
        }
        ProcessHandle orphan = Postmaster.running(data).orElseThrow();
        launcher.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(orphan.isAlive(), "PostgreSQL outlives a SIGKILLed launcher (its own session): the case to handle");

        try (LocalPostgres pg = LocalPostgres.start(home, DevSuite.freePort(), List.of("autolab_auth"))) {
            assertFalse(orphan.isAlive(), "the leftover postmaster was stopped");
            ProcessHandle current = Postmaster.running(data).orElseThrow();
            assertTrue(current.pid() != orphan.pid());
            assertEquals(1, postmasters(data), "exactly one PostgreSQL serves the data folder");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("autolab_auth"), pg.user(), pg.password())) {
                assertTrue(c.isValid(2));
            }
        } finally {
            Postmaster.running(data).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Postmasters have "-D <data>" on their command line. Their children rewrite theirs, but a child
     * just forked (on a busy machine, for a moment) still shows its parent's: a process whose parent
     * serves the same folder is a child, not a second postmaster.
     */
    static long postmasters(Path data) {
        return ProcessHandle.allProcesses()
                .filter(p -> serves(p, data))
                .filter(p -> p.parent().map(parent -> !serves(parent, data)).orElse(true))
                .count();
    }

    private static boolean serves(ProcessHandle process, Path data) {
        return process.info()
                .arguments()
                .map(a -> List.of(a).contains(data.toString()))
                .orElse(false);
    }
}
