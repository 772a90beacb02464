package dev.autolab.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import dev.autolab.keys.support.Api;
import dev.autolab.keys.support.FakeAuthResource;
import dev.autolab.proto.keys.v1.ListKeysRequest;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * keys-service watches auth-service's revocation stream: a token revoked there is refused here well
 * within a second, although keys-service had just cached it (DESIGN §3).
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_keys"))
@WithTestResource(value = FakeAuthResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RevocationPushTest {
    FakeAuthService auth;

    private static void within(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + limit.toMillis() + " ms");
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // polling interval
        }
    }

    private static boolean refused(String token) {
        try {
            Api.keys(token).listKeys(ListKeysRequest.getDefaultInstance());
            return false;
        } catch (StatusRuntimeException e) {
            assertEquals(
                    Status.Code.UNAUTHENTICATED,
                    e.getStatus().getCode(),
                    e.getStatus().toString());
            return true;
        }
    }

    @Test
    void aRevokedTokenIsRefusedWithinASecondThoughItWasCached() {
        var alice = auth.user("alice");
        within(Duration.ofSeconds(10), "keys-service watching auth-service's revocations", () -> auth.watchers() > 0);
        assertTrue(!refused(alice.token()), "alice's token works and is now cached");
        int validationsBefore = auth.validations();
        assertTrue(!refused(alice.token()));
        assertEquals(validationsBefore, auth.validations(), "the second call came from the cache");
        auth.revoke(alice.token());
        within(Duration.ofSeconds(1), "the revoked token refused", () -> refused(alice.token()));
    }
}
