package dev.autolab.auth.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.auth.user.PasswordHasher;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates the operator's first users at start (DESIGN §3: with sign-up closed, production seeds users
 * from configuration). A user is created when its handle is absent and never changed when present, so a
 * password changed later survives every restart. Several replicas may start at once: the insert is
 * {@code ON CONFLICT (handle) DO NOTHING}, so whichever commits first wins and the others change nothing.
 * Runs after Flyway (Quarkus migrates before {@link StartupEvent}); over JDBC, since start is blocking anyway.
 */
@Singleton
public class BootstrapUsers {
    private static final Logger LOG = Logger.getLogger(BootstrapUsers.class);

    @Inject
    AuthConfig config;

    @Inject
    DataSource database;

    @Inject
    PasswordHasher hasher;

    @Inject
    Clock clock;

    /** The handles this call created and those it found present. */
    public record Outcome(List<String> created, List<String> present) {}

    void onStart(@Observes StartupEvent started) {
        config.bootstrap().usersFile().ifPresent(this::apply);
    }

    /** Reads {@code file} and creates its absent users; throws (failing the start) on a bad file. */
    public Outcome apply(Path file) {
        List<BootstrapFile.Entry> entries;
        try {
            entries = BootstrapFile.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bootstrap users file " + file + " ("
                    + e.getClass().getSimpleName() + "); check AUTOLAB_BOOTSTRAP_USERS_FILE");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the bootstrap users file " + file + " is invalid at " + e.getMessage());
        }
        try (Connection connection = database.getConnection()) {
            Set<String> present = present(connection, entries);
            List<String> created = new ArrayList<>();
            List<String> found = new ArrayList<>(present);
            for (BootstrapFile.Entry entry : entries) {
                if (present.contains(entry.handle())) {
                    continue;
                }
                // Hashed only when absent: a restart of a seeded deployment costs no Argon2 at all.
                if (insert(connection, entry.handle(), hasher.hash(entry.password()))) {
                    created.add(entry.handle());
                } else {
                    found.add(entry.handle()); // another replica created it meanwhile
                }
            }
            LOG.infof(
                    "bootstrap users from %s: created %s; already present (unchanged) %s",
                    file, created, found.stream().sorted().toList());
            return new Outcome(List.copyOf(created), found.stream().sorted().toList());
        } catch (SQLException e) {
            // A driver message names at most a handle (never a value bound here but the hash); keep it short anyway.
            throw new IllegalStateException("cannot create the bootstrap users (SQL state " + e.getSQLState()
                    + "); is the database reachable?");
        }
    }

    private static Set<String> present(Connection connection, List<BootstrapFile.Entry> entries) throws SQLException {
        Set<String> present = new HashSet<>();
        try (PreparedStatement select =
                connection.prepareStatement("SELECT handle FROM users WHERE handle = ANY (?)")) {
            select.setArray(
                    1,
                    connection.createArrayOf(
                            "text",
                            entries.stream().map(BootstrapFile.Entry::handle).toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    present.add(rows.getString(1));
                }
            }
        }
        return present;
    }

    /** True when this call created the user; false when the handle was taken first (by another replica). */
    private boolean insert(Connection connection, String handle, String hash) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO users (id, handle, display_name, email, password_hash, created_at) "
                        + "VALUES (?, ?, ?, '', ?, ?) ON CONFLICT (handle) DO NOTHING")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, handle);
            insert.setString(3, handle);
            insert.setString(4, hash);
            insert.setTimestamp(5, Timestamp.from(clock.instant()));
            return insert.executeUpdate() == 1;
        }
    }
}
