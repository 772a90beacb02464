package dev.autolab.keys.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.autolab.keys.secret.local.LocalSecretStore;
import dev.autolab.keys.secret.local.MasterKeys;
import dev.autolab.testing.PostgresProvider;
import dev.autolab.testing.PostgresServer;
import io.grpc.Status;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** The contract against the built-in encrypted store, plus what only it must do (AES-GCM, master keys). */
class LocalStoreContractTest extends SecretStoreContract {
    static Vertx vertx;
    static PgPool pool;
    static PostgresServer pg;
    static String database;
    static byte[] masterKey;
    static LocalSecretStore store;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresProvider.server();
        database = PostgresProvider.createDatabase("autolab_keys_store");
        try (Connection c = jdbc();
                Statement s = c.createStatement()) {
            s.execute(new String(
                    LocalStoreContractTest.class
                            .getResourceAsStream("/db/migration/V1__keys.sql")
                            .readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        vertx = Vertx.vertx();
        pool = PgPool.pool(
                vertx,
                new PgConnectOptions()
                        .setHost(pg.host())
                        .setPort(pg.port())
                        .setDatabase(database)
                        .setUser(pg.user())
                        .setPassword(pg.password()),
                new PoolOptions().setMaxSize(4));
        masterKey = random32();
        store = new LocalSecretStore(pool, MasterKeys.of(masterKey, List.of()));
    }

    @AfterAll
    static void stop() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }

    static Connection jdbc() throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
    }

    static void sql(String statement) {
        try (Connection c = jdbc();
                Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] random32() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Override
    protected SecretStore store() {
        return store;
    }

    @Override
    protected void breakIt() {
        sql("ALTER TABLE local_secrets RENAME TO local_secrets_broken");
    }

    @Override
    protected void repair() {
        sql("ALTER TABLE local_secrets_broken RENAME TO local_secrets");
    }

    @Test
    void eachWriteHasAFreshNonceAndNoPlaintext() throws Exception {
        SecretRef a = fresh();
        SecretRef b = fresh();
        await(store.create(a, "sk-same-value-1234"));
        await(store.create(b, "sk-same-value-1234"));
        try (Connection c = jdbc();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT encode(nonce, 'hex'), encode(ciphertext, 'escape') FROM local_secrets"
                                + " WHERE key_id IN ('" + a.keyId() + "', '" + b.keyId() + "')")) {
            r.next();
            String nonceA = r.getString(1);
            String cipherA = r.getString(2);
            r.next();
            assertNotEquals(nonceA, r.getString(1));
            assertEquals(24, nonceA.length(), "12-byte nonce");
            assertTrue(!cipherA.contains("sk-same-value"), "no plaintext");
        }
    }

    @Test
    void aCiphertextCopiedOntoAnotherKeyOrOwnerDoesNotDecrypt() {
        SecretRef victim = fresh();
        SecretRef thief = fresh();
        await(store.create(victim, "sk-victim-value"));
        await(store.create(thief, "sk-thief-value"));
        sql("UPDATE local_secrets t SET nonce = v.nonce, ciphertext = v.ciphertext FROM local_secrets v"
                + " WHERE t.key_id = '" + thief.keyId() + "' AND v.key_id = '" + victim.keyId() + "'");
        assertEquals(Status.Code.FAILED_PRECONDITION, refusal(store.read(thief, 1)));
        SecretRef sameKeyOtherOwner = new SecretRef(victim.keyId(), thief.ownerId());
        assertEquals(Status.Code.FAILED_PRECONDITION, refusal(store.read(sameKeyOtherOwner, 1)));
        assertEquals("sk-victim-value", await(store.read(victim, 1)));
    }

    @Test
    void theMasterKeyCanBeRotated() {
        SecretRef old = fresh();
        await(store.create(old, "sk-written-under-the-old-key"));
        byte[] next = random32();
        LocalSecretStore rotated = new LocalSecretStore(pool, MasterKeys.of(next, List.of(masterKey)));
        assertEquals("sk-written-under-the-old-key", await(rotated.read(old, 1)));
        SecretRef fresh = fresh();
        await(rotated.create(fresh, "sk-new"));
        LocalSecretStore forgotten = new LocalSecretStore(pool, MasterKeys.of(next, List.of()));
        String message = refusalMessage(forgotten.read(old, 1));
        assertTrue(message.contains("not configured"), message);
        assertEquals("sk-new", await(forgotten.read(fresh, 1)));
    }

    @Test
    void theMasterKeyFileIsCreatedOwnerOnlyAndAReadableOneIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/master.key");
        byte[] created = MasterKeys.fromFile(file);
        assertEquals(32, created.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(
                new String(created, StandardCharsets.ISO_8859_1),
                new String(MasterKeys.fromFile(file), StandardCharsets.ISO_8859_1),
                "the same key on the next start");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> MasterKeys.fromFile(file));
        assertTrue(refused.getMessage().contains("chmod 600"), refused.getMessage());
    }
}
