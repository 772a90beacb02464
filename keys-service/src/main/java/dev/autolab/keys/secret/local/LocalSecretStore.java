package dev.autolab.keys.secret.local;

import javax.crypto.SecretKey;

import dev.autolab.common.error.Errors;
import dev.autolab.keys.secret.SecretRef;
import dev.autolab.keys.secret.SecretStore;
import dev.autolab.keys.secret.SecretStoreDown;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * The built-in encrypted store: ciphertext in keys-service's own PostgreSQL, one row per version.
 * The embedded default when no Vault is configured.
 */
public final class LocalSecretStore implements SecretStore {
    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    private final MasterKeys masterKeys;
    private final Sealing sealing = new Sealing();

    public LocalSecretStore(Pool pool, MasterKeys masterKeys) {
        this.pool = pool;
        this.masterKeys = masterKeys;
    }

    @Override
    public String name() {
        return "the built-in secret store";
    }

    @Override
    public Uni<Integer> create(SecretRef ref, String value) {
        return insert(ref, 1, value);
    }

    @Override
    public Uni<Integer> rotate(SecretRef ref, int currentVersion, String value) {
        return insert(ref, currentVersion + 1, value);
    }

    private Uni<Integer> insert(SecretRef ref, int version, String value) {
        Sealing.Sealed sealed = sealing.seal(masterKeys.current(), ref, version, value);
        return pool.preparedQuery(
                        "INSERT INTO local_secrets (key_id, version, owner_id, master_key_id, nonce, ciphertext)"
                                + " VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.tuple()
                        .addUUID(ref.keyId())
                        .addInteger(version)
                        .addUUID(ref.ownerId())
                        .addString(masterKeys.currentId())
                        .addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(sealed.nonce()))
                        .addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(sealed.ciphertext())))
                .replaceWith(version)
                .onFailure()
                .transform(failure -> explain(failure, "writing a secret"));
    }

    @Override
    public Uni<String> read(SecretRef ref, int version) {
        return pool.preparedQuery("SELECT owner_id, master_key_id, nonce, ciphertext FROM local_secrets"
                        + " WHERE key_id = $1 AND version = $2")
                .execute(Tuple.of(ref.keyId(), version))
                .onFailure()
                .transform(failure -> explain(failure, "reading a secret"))
                .map(rows -> open(ref, version, rows));
    }

    private String open(SecretRef ref, int version, RowSet<Row> rows) {
        if (rows.size() == 0) {
            throw Errors.notFound("the secret of key " + ref.keyId() + " (version " + version + ") does not exist");
        }
        Row row = rows.iterator().next();
        SecretKey key = masterKeys.byId(row.getString("master_key_id"));
        if (key == null) {
            throw Errors.failedPrecondition("the secret of key " + ref.keyId() + " is encrypted with master key "
                    + row.getString("master_key_id") + ", which is not configured; add it to "
                    + "autolab.keys.local.previous-master-keys");
        }
        String value = sealing.open(
                key,
                ref,
                version,
                row.getBuffer("nonce").getBytes(),
                row.getBuffer("ciphertext").getBytes());
        if (value == null) {
            throw Errors.failedPrecondition("the stored secret of key " + ref.keyId()
                    + " does not belong to it (altered or copied from another key); store the key again");
        }
        return value;
    }

    @Override
    public Uni<Void> destroy(SecretRef ref) {
        return pool.preparedQuery("DELETE FROM local_secrets WHERE key_id = $1")
                .execute(Tuple.of(ref.keyId()))
                .onFailure()
                .transform(failure -> explain(failure, "destroying a secret"))
                .replaceWithVoid();
    }

    @Override
    public Uni<String> problem() {
        return pool.query("SELECT 1 FROM local_secrets LIMIT 1")
                .execute()
                .map(ignored -> (String) null)
                .onFailure()
                .recoverWithItem(failure ->
                        name() + " cannot be read: " + failure.getClass().getSimpleName());
    }

    private Throwable explain(Throwable failure, String what) {
        if (failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
            return Errors.alreadyExists("a secret for this key and version already exists");
        }
        if (failure instanceof dev.autolab.common.error.AutolabException) {
            return failure;
        }
        // Driver messages never carry bind values; keep only the kind of failure.
        return SecretStoreDown.of(
                name(), what + " failed: " + failure.getClass().getSimpleName());
    }
}
