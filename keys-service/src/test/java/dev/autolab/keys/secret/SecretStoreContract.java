package dev.autolab.keys.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.autolab.common.error.AutolabException;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;

/**
 * What every secret store must do, run against each one: the built-in encrypted store, Vault through
 * the stand-in, and a real Vault when one is available.
 */
public abstract class SecretStoreContract {
    protected abstract SecretStore store();

    /** Makes the store fail every call until {@link #repair()}. */
    protected abstract void breakIt();

    protected abstract void repair();

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    static Status.Code refusal(Uni<?> uni) {
        try {
            await(uni);
        } catch (AutolabException e) {
            return e.code();
        }
        return fail("the call succeeded but should have failed");
    }

    static String refusalMessage(Uni<?> uni) {
        try {
            await(uni);
        } catch (AutolabException e) {
            return e.getMessage();
        }
        return fail("the call succeeded but should have failed");
    }

    static SecretRef fresh() {
        return new SecretRef(UUID.randomUUID(), UUID.randomUUID());
    }

    @Test
    void theFirstWriteIsVersionOneAndReadsBack() {
        SecretRef ref = fresh();
        assertEquals(1, await(store().create(ref, "sk-first-ÄÖ-value")));
        assertEquals("sk-first-ÄÖ-value", await(store().read(ref, 1)));
    }

    @Test
    void theFirstWriteIsCreateOnly() {
        SecretRef ref = fresh();
        await(store().create(ref, "one"));
        assertEquals(Status.Code.ALREADY_EXISTS, refusal(store().create(ref, "two")));
        assertEquals("one", await(store().read(ref, 1)), "the refused write changed nothing");
    }

    @Test
    void rotationWritesANewVersion() {
        SecretRef ref = fresh();
        await(store().create(ref, "v1"));
        assertEquals(2, await(store().rotate(ref, 1, "v2")));
        assertEquals("v2", await(store().read(ref, 2)));
        assertEquals(3, await(store().rotate(ref, 2, "v3")));
        assertEquals("v3", await(store().read(ref, 3)));
    }

    @Test
    void destroyRemovesEveryVersion() {
        SecretRef ref = fresh();
        await(store().create(ref, "v1"));
        await(store().rotate(ref, 1, "v2"));
        await(store().destroy(ref));
        assertEquals(Status.Code.NOT_FOUND, refusal(store().read(ref, 1)));
        assertEquals(Status.Code.NOT_FOUND, refusal(store().read(ref, 2)));
        await(store().destroy(ref));
        assertEquals(1, await(store().create(ref, "again")), "a destroyed path starts over");
    }

    @Test
    void aMissingSecretIsNotFoundAndKeysAreSeparate() {
        SecretRef a = fresh();
        SecretRef b = fresh();
        assertEquals(Status.Code.NOT_FOUND, refusal(store().read(a, 1)));
        await(store().create(a, "value-a"));
        await(store().create(b, "value-b"));
        assertEquals("value-a", await(store().read(a, 1)));
        assertEquals("value-b", await(store().read(b, 1)));
        await(store().destroy(a));
        assertEquals("value-b", await(store().read(b, 1)));
    }

    @Test
    void aStoreThatIsDownIsUnavailableNamingItAndWritesNothing() {
        SecretRef ref = fresh();
        assertNull(await(store().problem()));
        breakIt();
        try {
            String message = refusalMessage(store().create(ref, "sk-never-stored-value"));
            assertTrue(message.contains(store().name()), message);
            assertTrue(!message.contains("sk-never-stored-value"), message);
            assertEquals(Status.Code.UNAVAILABLE, refusal(store().create(ref, "sk-never-stored-value")));
            assertEquals(Status.Code.UNAVAILABLE, refusal(store().read(ref, 1)));
            assertNotNull(await(store().problem()));
        } finally {
            repair();
        }
        assertEquals(Status.Code.NOT_FOUND, refusal(store().read(ref, 1)), "nothing was written while down");
        assertNull(await(store().problem()));
    }
}
