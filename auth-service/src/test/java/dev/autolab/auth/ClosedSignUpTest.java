package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ClosedSignUpTest.Closed.class)
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class ClosedSignUpTest {

    public static class Closed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autolab.auth.signup.open", "false");
        }
    }

    @Test
    void signUpIsRefusedWhenClosed() {
        Status s = Api.refusal(() -> Api.users()
                .createUser(CreateUserRequest.newBuilder()
                        .setHandle(Api.uniqueHandle("zoe"))
                        .setPassword(Api.PASSWORD)
                        .setEmail("z@example.org")
                        .build()));
        assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
        assertTrue(s.getDescription().contains("sign-up is closed"), s.getDescription());
    }
}
