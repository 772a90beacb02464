package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.autolab.common.token.TokenCodec;
import dev.autolab.common.token.TokenType;
import dev.autolab.proto.auth.v1.CreateProjectRequest;
import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.Session;
import dev.autolab.proto.auth.v1.TokenKind;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
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
class SessionTest {
    /** The service's clock: other tests move it forward. */
    @Inject
    TestClock clock;

    private static CreateSessionRequest signIn(String handle, String password) {
        return CreateSessionRequest.newBuilder()
                .setHandle(handle)
                .setPassword(password)
                .build();
    }

    @Test
    void signInGivesATwelveHourBrowserSession() {
        Api.Account alice = Api.signUp("alice");
        Session session = Api.sessions().createSession(signIn(alice.handle(), Api.PASSWORD));
        assertTrue(TokenCodec.isValid(session.getToken(), TokenType.SESSION), "an als_ token");
        long lifetime = session.getExpiresAt().getSeconds() - clock.instant().getEpochSecond();
        assertTrue(lifetime > 11 * 3600 && lifetime <= 12 * 3600, "lifetime " + lifetime);
        assertEquals(
                TokenKind.TOKEN_KIND_SESSION,
                Api.users(session.getToken())
                        .whoAmI(WhoAmIRequest.getDefaultInstance())
                        .getToken()
                        .getKind());
    }

    @Test
    void wrongPasswordAndUnknownHandleGetTheSameAnswer() {
        Api.Account alice = Api.signUp("alice");
        Status wrongPassword =
                Api.refusal(() -> Api.sessions().createSession(signIn(alice.handle(), "wrong password!")));
        Status unknownHandle = Api.refusal(() -> Api.sessions().createSession(signIn("nobody-here", Api.PASSWORD)));
        assertEquals(Status.Code.UNAUTHENTICATED, wrongPassword.getCode());
        assertEquals(wrongPassword.getCode(), unknownHandle.getCode());
        assertEquals(wrongPassword.getDescription(), unknownHandle.getDescription());
    }

    @Test
    void repeatedFailuresForOneHandleAreSlowedDownEvenForTheRightPassword() {
        Api.Account victim = Api.signUp("victim");
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    Status.Code.UNAUTHENTICATED,
                    Api.refusal(() -> Api.sessions().createSession(signIn(victim.handle(), "guess guess guess")))
                            .getCode());
        }
        Status throttled = Api.refusal(() -> Api.sessions().createSession(signIn(victim.handle(), Api.PASSWORD)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, throttled.getCode());
        assertTrue(throttled.getDescription().contains("try again in"), throttled.getDescription());
    }

    @Test
    void aSessionCannotBeUsedAsAPersonalAccessToken() {
        Api.Account alice = Api.signUp("alice");
        String session = Api.sessionOf(alice.handle());
        Status s = Api.refusal(() -> Api.projects(session)
                .createProject(CreateProjectRequest.newBuilder().setName("p").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
        assertTrue(s.getDescription().contains("browser session"), s.getDescription());
    }
}
