package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.User;
import dev.autolab.testing.Db;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class SignUpTest {

    private static CreateUserRequest.Builder request(String handle) {
        return CreateUserRequest.newBuilder()
                .setHandle(handle)
                .setPassword(Api.PASSWORD)
                .setEmail("x@example.org");
    }

    @Test
    void signUpReturnsTheUserWithTheHandleAsDefaultDisplayName() {
        String handle = Api.uniqueHandle("carol");
        User user = Api.users().createUser(request(handle).build());
        assertEquals(handle, user.getHandle());
        assertEquals(handle, user.getDisplayName());
        assertTrue(user.hasCreatedAt());
    }

    @Test
    void aTakenHandleIsAlreadyExists() {
        String handle = Api.uniqueHandle("dave");
        Api.users().createUser(request(handle).build());
        Status s = Api.refusal(() -> Api.users().createUser(request(handle).build()));
        assertEquals(Status.Code.ALREADY_EXISTS, s.getCode());
        assertTrue(s.getDescription().contains("taken"), s.getDescription());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "Alice", "1alice", "al ice", "al_ice", "a234567890123456789012345678901234567890"})
    void badHandlesAreInvalidArgument(String handle) {
        Status s = Api.refusal(() -> Api.users().createUser(request(handle).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("handle"), s.getDescription());
    }

    @Test
    void shortAndOverlongPasswordsAreRefused() {
        Status tooShort = Api.refusal(() -> Api.users()
                .createUser(
                        request(Api.uniqueHandle("erin")).setPassword("short").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, tooShort.getCode());
        assertTrue(tooShort.getDescription().contains("at least 10"), tooShort.getDescription());
        Status tooLong = Api.refusal(() -> Api.users()
                .createUser(request(Api.uniqueHandle("erin"))
                        .setPassword("x".repeat(257))
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, tooLong.getCode());
    }

    @Test
    void badEmailAndOverlongDisplayNameAreRefused() {
        Status email = Api.refusal(() -> Api.users()
                .createUser(request(Api.uniqueHandle("finn"))
                        .setEmail("not-an-email")
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, email.getCode());
        assertTrue(email.getDescription().contains("email"), email.getDescription());
        Status name = Api.refusal(() -> Api.users()
                .createUser(request(Api.uniqueHandle("finn"))
                        .setDisplayName("n".repeat(101))
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, name.getCode());
    }

    @Test
    void passwordsAreStoredAsArgon2idHashesOnly() {
        String handle = Api.uniqueHandle("gina");
        Api.users().createUser(request(handle).build());
        List<List<String>> rows = Db.rows("SELECT password_hash FROM users WHERE handle = ?", handle);
        String stored = rows.get(0).get(0);
        assertTrue(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), stored);
        assertFalse(stored.contains(Api.PASSWORD));
    }
}
