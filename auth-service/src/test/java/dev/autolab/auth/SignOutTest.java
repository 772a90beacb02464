package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.CreateTokenResponse;
import dev.autolab.proto.auth.v1.DeleteSessionRequest;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Browser sessions end: sign-out revokes them, and what they mint expires. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class SignOutTest {
    /** The service's clock: other tests move it forward. */
    @Inject
    TestClock clock;

    @Test
    void signingOutRevokesTheSessionAtOnce() {
        Api.Account alice = Api.signUp("alice");
        String session = Api.sessionOf(alice.handle());
        Api.users(session).whoAmI(WhoAmIRequest.getDefaultInstance());
        Api.as(SessionServiceGrpc.newBlockingStub(Api.channel()), session)
                .deleteSession(DeleteSessionRequest.getDefaultInstance());
        Status after = Api.refusal(() -> Api.users(session).whoAmI(WhoAmIRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, after.getCode());
        assertTrue(after.getDescription().contains("signed out"), after.getDescription());
        // The user's tokens are untouched.
        Api.users(alice.token()).whoAmI(WhoAmIRequest.getDefaultInstance());
    }

    @Test
    void signOutTakesABrowserSessionNotAToken() {
        Api.Account alice = Api.signUp("alice");
        Status withPat = Api.refusal(() -> Api.as(SessionServiceGrpc.newBlockingStub(Api.channel()), alice.token())
                .deleteSession(DeleteSessionRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, withPat.getCode());
        Api.users(alice.token()).whoAmI(WhoAmIRequest.getDefaultInstance());
    }

    @Test
    void aSessionMintsOnlyTokensThatExpireByDefaultInNinetyDays() {
        Api.Account alice = Api.signUp("alice");
        String session = Api.sessionOf(alice.handle());
        CreateTokenResponse fromDashboard = Api.tokens(session)
                .createToken(CreateTokenRequest.newBuilder().setName("dash").build());
        long days = (fromDashboard.getToken().getExpiresAt().getSeconds()
                        - clock.instant().getEpochSecond())
                / 86400;
        assertTrue(days >= 89 && days <= 90, "expires in " + days + " days");
        CreateTokenResponse chosen = Api.tokens(session)
                .createToken(CreateTokenRequest.newBuilder()
                        .setName("dash-7")
                        .setExpiresInDays(7)
                        .build());
        assertEquals(
                7,
                Math.round((chosen.getToken().getExpiresAt().getSeconds()
                                - clock.instant().getEpochSecond())
                        / 86400.0));
        // The CLI's own choice stands: a PAT minting with no expiry gets none.
        CreateTokenResponse fromCli = Api.tokens(alice.token())
                .createToken(CreateTokenRequest.newBuilder().setName("ci").build());
        assertFalse(fromCli.getToken().hasExpiresAt());
    }
}
