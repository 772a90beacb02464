package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.autolab.common.token.TokenCodec;
import dev.autolab.common.token.TokenType;
import dev.autolab.proto.auth.v1.AuthorizeRequest;
import dev.autolab.proto.auth.v1.AuthorizeResponse;
import dev.autolab.proto.auth.v1.CreateProjectRequest;
import dev.autolab.proto.auth.v1.Principal;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.auth.v1.SetMemberRequest;
import dev.autolab.proto.auth.v1.TokenKind;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
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
class InternalAuthTest {

    private static AuthorizeRequest authorize(String token, String project, Role minimum) {
        return AuthorizeRequest.newBuilder()
                .setToken(token)
                .setProject(project)
                .setMinimumRole(minimum)
                .build();
    }

    @Test
    void validateTokenResolvesThePrincipal() {
        Api.Account alice = Api.signUp("alice");
        Principal p = Api.internal()
                .validateToken(ValidateTokenRequest.newBuilder()
                        .setToken(alice.token())
                        .build());
        assertEquals(alice.handle(), p.getHandle());
        assertEquals("test", p.getTokenName());
        assertEquals(TokenKind.TOKEN_KIND_PAT, p.getTokenKind());
    }

    @Test
    void validateTokenRefusesBadAndNodeTokens() {
        for (String bad :
                new String[] {"", "garbage", TokenCodec.mint(TokenType.PERSONAL), TokenCodec.mint(TokenType.NODE)}) {
            assertEquals(
                    Status.Code.UNAUTHENTICATED,
                    Api.refusal(() -> Api.internal()
                                    .validateToken(ValidateTokenRequest.newBuilder()
                                            .setToken(bad)
                                            .build()))
                            .getCode(),
                    bad);
        }
    }

    @Test
    void authorizeChecksTheMinimumRoleAndNamesIt() {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String project = Api.projects(alice.token())
                .createProject(
                        CreateProjectRequest.newBuilder().setName("nanochat").build())
                .getName();
        AuthorizeResponse owner = Api.internal().authorize(authorize(alice.token(), project, Role.ROLE_RESEARCHER));
        assertEquals(Role.ROLE_OWNER, owner.getRole());
        assertEquals(alice.handle(), owner.getPrincipal().getHandle());

        Status stranger =
                Api.refusal(() -> Api.internal().authorize(authorize(bob.token(), project, Role.ROLE_VIEWER)));
        assertEquals(Status.Code.NOT_FOUND, stranger.getCode());

        Api.projects(alice.token())
                .setMember(SetMemberRequest.newBuilder()
                        .setProject(project)
                        .setHandle(bob.handle())
                        .setRole(Role.ROLE_VIEWER)
                        .build());
        Status viewer =
                Api.refusal(() -> Api.internal().authorize(authorize(bob.token(), project, Role.ROLE_RESEARCHER)));
        assertEquals(Status.Code.PERMISSION_DENIED, viewer.getCode());
        assertTrue(viewer.getDescription().contains("researcher role or higher"), viewer.getDescription());
        assertTrue(viewer.getDescription().contains("is viewer"), viewer.getDescription());

        Api.projects(alice.token())
                .setMember(SetMemberRequest.newBuilder()
                        .setProject(project)
                        .setHandle(bob.handle())
                        .setRole(Role.ROLE_RESEARCHER)
                        .build());
        assertEquals(
                Role.ROLE_RESEARCHER,
                Api.internal()
                        .authorize(authorize(bob.token(), project, Role.ROLE_RESEARCHER))
                        .getRole());
    }

    /**
     * The dashboard binds keys to projects with the browser session: Authorize answers for a session as for
     * its user, with the same refusals (which methods take a session is each service's access policy).
     */
    @Test
    void authorizeAnswersForABrowserSessionAsForItsUser() {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String project = Api.projects(alice.token())
                .createProject(CreateProjectRequest.newBuilder().setName("dash").build())
                .getName();
        AuthorizeResponse owner =
                Api.internal().authorize(authorize(Api.sessionOf(alice.handle()), project, Role.ROLE_RESEARCHER));
        assertEquals(Role.ROLE_OWNER, owner.getRole());
        assertEquals(TokenKind.TOKEN_KIND_SESSION, owner.getPrincipal().getTokenKind());

        String bobSession = Api.sessionOf(bob.handle());
        Status stranger = Api.refusal(() -> Api.internal().authorize(authorize(bobSession, project, Role.ROLE_VIEWER)));
        assertEquals(Status.Code.NOT_FOUND, stranger.getCode());
        assertTrue(stranger.getDescription().contains("not a member"), stranger.getDescription());

        Api.projects(alice.token())
                .setMember(SetMemberRequest.newBuilder()
                        .setProject(project)
                        .setHandle(bob.handle())
                        .setRole(Role.ROLE_VIEWER)
                        .build());
        Status viewer =
                Api.refusal(() -> Api.internal().authorize(authorize(bobSession, project, Role.ROLE_RESEARCHER)));
        assertEquals(Status.Code.PERMISSION_DENIED, viewer.getCode());
        assertTrue(viewer.getDescription().contains("researcher role or higher"), viewer.getDescription());
    }

    @Test
    void authorizeRefusesBadTokensAndMissingRoles() {
        Api.Account alice = Api.signUp("alice");
        String project = Api.projects(alice.token())
                .createProject(CreateProjectRequest.newBuilder().setName("p1").build())
                .getName();
        assertEquals(
                Status.Code.UNAUTHENTICATED,
                Api.refusal(() -> Api.internal().authorize(authorize("al_nope", project, Role.ROLE_VIEWER)))
                        .getCode());
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                Api.refusal(() -> Api.internal().authorize(authorize(alice.token(), project, Role.ROLE_UNSPECIFIED)))
                        .getCode());
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                Api.refusal(() -> Api.internal().authorize(authorize(alice.token(), "not-a-project", Role.ROLE_VIEWER)))
                        .getCode());
    }

    @Test
    void getMemberRoleAnswersForAUserWithoutTheirToken() {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String project = alice.handle() + "/roles";
        Api.projects(alice.token())
                .createProject(
                        CreateProjectRequest.newBuilder().setName("roles").build());
        Api.projects(alice.token())
                .setMember(SetMemberRequest.newBuilder()
                        .setProject(project)
                        .setHandle(bob.handle())
                        .setRole(Role.ROLE_RESEARCHER)
                        .build());
        String bobId = Api.internal()
                .validateToken(
                        ValidateTokenRequest.newBuilder().setToken(bob.token()).build())
                .getUserId();
        assertEquals(Role.ROLE_RESEARCHER, roleOf(bobId, project));
        Api.projects(alice.token())
                .setMember(SetMemberRequest.newBuilder()
                        .setProject(project)
                        .setHandle(bob.handle())
                        .setRole(Role.ROLE_VIEWER)
                        .build());
        assertEquals(Role.ROLE_VIEWER, roleOf(bobId, project));
        assertEquals(Role.ROLE_UNSPECIFIED, roleOf(bobId, alice.handle() + "/no-such-project"));
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                Api.refusal(() -> roleOf("not-a-uuid", project)).getCode());
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                Api.refusal(() -> roleOf(bobId, "no slash")).getCode());
    }

    private static Role roleOf(String userId, String project) {
        return Api.internal()
                .getMemberRole(dev.autolab.proto.auth.v1.GetMemberRoleRequest.newBuilder()
                        .setUserId(userId)
                        .setProject(project)
                        .build())
                .getRole();
    }
}
