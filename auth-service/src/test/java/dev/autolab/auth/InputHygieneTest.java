package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.CreateProjectRequest;
import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.RevokeTokenRequest;
import dev.autolab.proto.auth.v1.SetMemberRequest;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** No input is an internal error, and names hold no control characters. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class InputHygieneTest {

    @Test
    void aNulByteAnywhereIsInvalidArgumentNamingTheField() {
        Api.Account alice = Api.signUp("alice");
        Status ref = Api.refusal(() -> Api.tokens(alice.token())
                .revokeToken(RevokeTokenRequest.newBuilder().setRef("\0abc").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, ref.getCode());
        assertEquals(
                "the field \"ref\" contains a NUL character (\\x00); remove it and try again", ref.getDescription());
        Status handle = Api.refusal(() -> Api.sessions()
                .createSession(CreateSessionRequest.newBuilder()
                        .setHandle("ali\0ce")
                        .setPassword("x")
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, handle.getCode());
        Status member = Api.refusal(() -> Api.projects(alice.token())
                .setMember(SetMemberRequest.newBuilder()
                        .setProject(alice.handle() + "/p")
                        .setHandle("b\0b")
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, member.getCode());
    }

    @Test
    void namesRefuseControlCharactersAndMessagesDoNotEchoThemRaw() {
        Api.Account alice = Api.signUp("alice");
        Status display = Api.refusal(() -> Api.users()
                .createUser(CreateUserRequest.newBuilder()
                        .setHandle(Api.uniqueHandle("eve"))
                        .setPassword(Api.PASSWORD)
                        .setEmail("eve@example.org")
                        .setDisplayName("Eve\u001b[2J")
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, display.getCode());
        assertTrue(
                display.getDescription().startsWith("the display name contains a control character"),
                display.getDescription());
        Status email = Api.refusal(() -> Api.users()
                .createUser(CreateUserRequest.newBuilder()
                        .setHandle(Api.uniqueHandle("eve"))
                        .setPassword(Api.PASSWORD)
                        .setEmail("eve\u0007@example.org")
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, email.getCode());
        assertTrue(email.getDescription().contains("\\x07"), email.getDescription());

        Status token = Api.refusal(() -> Api.tokens(alice.token())
                .createToken(
                        CreateTokenRequest.newBuilder().setName("ci\r\nrevoked").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, token.getCode());
        assertEquals(
                "\"ci\\x0d\\x0arevoked\" is not a valid token name: use 1-64 letters, digits, '.', '_', '@' or '-'",
                token.getDescription());
        Status project = Api.refusal(() -> Api.projects(alice.token())
                .createProject(CreateProjectRequest.newBuilder()
                        .setName("nano\u0085chat")
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, project.getCode());
        assertFalse(project.getDescription().contains("\u0085"), project.getDescription());
    }

    @Test
    void hugeValuesAreRefusedBrieflyNotEchoed() {
        Api.Account alice = Api.signUp("alice");
        String huge = "x".repeat(100_000);
        Status s = Api.refusal(() -> Api.tokens(alice.token())
                .revokeToken(RevokeTokenRequest.newBuilder().setRef(huge).build()));
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
        assertTrue(s.getDescription().length() < 200, s.getDescription());
    }
}
