package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.autolab.auth.token.TokenService;
import dev.autolab.common.token.TokenCodec;
import dev.autolab.common.token.TokenType;
import dev.autolab.proto.auth.v1.AuthorizeRequest;
import dev.autolab.proto.auth.v1.CreateProjectRequest;
import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.CreateTokenResponse;
import dev.autolab.proto.auth.v1.DeleteProjectRequest;
import dev.autolab.proto.auth.v1.ListTokensRequest;
import dev.autolab.proto.auth.v1.MintNodeCredentialRequest;
import dev.autolab.proto.auth.v1.MintNodeCredentialResponse;
import dev.autolab.proto.auth.v1.Principal;
import dev.autolab.proto.auth.v1.RemoveMemberRequest;
import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.auth.v1.RevokeNodeCredentialsRequest;
import dev.autolab.proto.auth.v1.RevokeTokenRequest;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.auth.v1.SetMemberRequest;
import dev.autolab.proto.auth.v1.TokenKind;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import dev.autolab.testing.Db;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Node credentials: minted for node-registry with the registering PAT (researcher+ on the project),
 * validated as node principals, and revoked with their reason by every cause, on the stream too.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class NodeCredentialTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Inject
    TestClock clock;

    @Inject
    TokenService tokens;

    @Inject
    Mutiny.SessionFactory sessions;

    private static MintNodeCredentialRequest request(String token, String project, String nodeId, String hostname) {
        return MintNodeCredentialRequest.newBuilder()
                .setToken(token)
                .setProject(project)
                .setNodeId(nodeId)
                .setHostname(hostname)
                .build();
    }

    private static MintNodeCredentialResponse mint(String token, String project, String nodeId, String hostname) {
        return Api.internal().mintNodeCredential(request(token, project, nodeId, hostname));
    }

    private static Status mintRefusal(String token, String project, String nodeId, String hostname) {
        return Api.refusal(() -> mint(token, project, nodeId, hostname));
    }

    private static Principal validate(String token) {
        return Api.internal()
                .validateToken(ValidateTokenRequest.newBuilder().setToken(token).build());
    }

    private static Status validateRefusal(String token) {
        return Api.refusal(() -> validate(token));
    }

    private static List<String> revokeNode(String nodeId, String reason) {
        return Api.internal()
                .revokeNodeCredentials(RevokeNodeCredentialsRequest.newBuilder()
                        .setNodeId(nodeId)
                        .setReason(reason)
                        .build())
                .getTokenIdsList();
    }

    private static String project(Api.Account owner, String name) {
        return Api.projects(owner.token())
                .createProject(CreateProjectRequest.newBuilder().setName(name).build())
                .getName();
    }

    private static void setRole(Api.Account admin, String project, Api.Account member, Role role) {
        Api.projects(admin.token())
                .setMember(SetMemberRequest.newBuilder()
                        .setProject(project)
                        .setHandle(member.handle())
                        .setRole(role)
                        .build());
    }

    private static String node() {
        return UUID.randomUUID().toString();
    }

    private static Principal patOf(String token) {
        return validate(token);
    }

    private static void assertRevokedFor(String credential, String reason) {
        Status refused = validateRefusal(credential);
        assertEquals(Status.Code.UNAUTHENTICATED, refused.getCode());
        assertTrue(refused.getDescription().contains("was revoked"), refused.getDescription());
        assertTrue(refused.getDescription().contains("(" + reason + ")"), refused.getDescription());
        assertTrue(refused.getDescription().contains("autolab serve"), refused.getDescription());
    }

    private static void assertPushed(Revocations pushed, String id, String reason) {
        assertTrue(pushed.getTokenIdsList().contains(id), pushed.toString());
        assertEquals(reason, pushed.getReasonsMap().get(id), pushed.toString());
    }

    @Test
    void theOwnerMintsACredentialBoundToTheNodeAndProjectThatExpiresWithThePat() {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "nanochat");
        String nodeId = node();
        MintNodeCredentialResponse minted = mint(alice.token(), project, nodeId, "gpu-box");
        assertTrue(TokenCodec.isValid(minted.getNodeCredential(), TokenType.NODE), minted.getNodeCredential());
        assertEquals(Role.ROLE_OWNER, minted.getRole());
        Principal p = minted.getPrincipal();
        Principal pat = patOf(alice.token());
        assertEquals(TokenKind.TOKEN_KIND_NODE, p.getTokenKind());
        assertEquals(nodeId, p.getNodeId());
        assertEquals(project, p.getProject());
        assertEquals("node@gpu-box", p.getTokenName());
        assertEquals(alice.handle(), p.getHandle());
        assertEquals(pat.getUserId(), p.getUserId(), "the registering user");
        assertNotEquals(pat.getTokenId(), p.getTokenId());
        assertTrue(pat.hasExpiresAt(), "a PAT minted from a session expires");
        assertEquals(pat.getExpiresAt(), p.getExpiresAt(), "expires with the PAT that registered it");
        // ValidateToken answers the same principal for the credential.
        assertEquals(p, validate(minted.getNodeCredential()));
    }

    @Test
    void aResearcherMintsAndANodeIdInUpperCaseIsTheSameNode() {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String project = project(alice, "shared");
        setRole(alice, project, bob, Role.ROLE_RESEARCHER);
        String nodeId = node();
        MintNodeCredentialResponse minted = mint(bob.token(), project, nodeId.toUpperCase(), "bob-box");
        assertEquals(Role.ROLE_RESEARCHER, minted.getRole());
        assertEquals(nodeId, minted.getPrincipal().getNodeId());
        assertEquals(bob.handle(), validate(minted.getNodeCredential()).getHandle());
    }

    @Test
    void aNeverExpiringPatMintsANeverExpiringCredential() {
        Api.Account alice = Api.signUp("alice");
        String forever = Api.tokens(alice.token())
                .createToken(CreateTokenRequest.newBuilder().setName("forever").build())
                .getSecret();
        assertFalse(patOf(forever).hasExpiresAt());
        String project = project(alice, "forever");
        MintNodeCredentialResponse minted = mint(forever, project, node(), "box");
        assertFalse(minted.getPrincipal().hasExpiresAt());
        assertFalse(validate(minted.getNodeCredential()).hasExpiresAt());
    }

    @Test
    void aNodeCredentialDiesWhenItsPatExpires() {
        Api.Account alice = Api.signUp("alice");
        CreateTokenResponse day = Api.tokens(alice.token())
                .createToken(CreateTokenRequest.newBuilder()
                        .setName("one-day")
                        .setExpiresInDays(1)
                        .build());
        String project = project(alice, "shortlived");
        MintNodeCredentialResponse minted = mint(day.getSecret(), project, node(), "box");
        assertEquals(
                patOf(day.getSecret()).getExpiresAt(), minted.getPrincipal().getExpiresAt());
        assertEquals(
                day.getToken().getExpiresAt().getSeconds(),
                minted.getPrincipal().getExpiresAt().getSeconds());
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        Status expired = validateRefusal(minted.getNodeCredential());
        assertEquals(Status.Code.UNAUTHENTICATED, expired.getCode());
        assertTrue(expired.getDescription().contains("node@box\" expired at"), expired.getDescription());
    }

    @Test
    void aViewerIsRefusedNamingTheRoleNeededAndTheRoleHeld() {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String project = project(alice, "viewed");
        setRole(alice, project, bob, Role.ROLE_VIEWER);
        Status s = mintRefusal(bob.token(), project, node(), "box");
        assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
        assertEquals(
                "registering a node on " + project + " needs the researcher role or higher; " + bob.handle()
                        + " is viewer",
                s.getDescription());
    }

    @Test
    void aNonMemberAndAnUnknownProjectAreNotFoundAsAuthorizeSays() {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String project = project(alice, "private");
        Status stranger = mintRefusal(bob.token(), project, node(), "box");
        assertEquals(Status.Code.NOT_FOUND, stranger.getCode());
        assertEquals("project " + project + " not found, or you are not a member of it", stranger.getDescription());
        Status authorize = Api.refusal(() -> Api.internal()
                .authorize(AuthorizeRequest.newBuilder()
                        .setToken(bob.token())
                        .setProject(project)
                        .setMinimumRole(Role.ROLE_RESEARCHER)
                        .build()));
        assertEquals(authorize.getCode(), stranger.getCode());
        assertEquals(authorize.getDescription(), stranger.getDescription());

        String missing = alice.handle() + "/no-such-project";
        Status unknown = mintRefusal(alice.token(), missing, node(), "box");
        assertEquals(Status.Code.NOT_FOUND, unknown.getCode());
        assertEquals("project " + missing + " not found, or you are not a member of it", unknown.getDescription());
    }

    @Test
    void sessionsAndNodeCredentialsCannotMint() {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "kinds");
        Status session = mintRefusal(Api.sessionOf(alice.handle()), project, node(), "box");
        assertEquals(Status.Code.PERMISSION_DENIED, session.getCode());
        assertEquals(
                "a browser session cannot register a node; use a personal access token (`autolab token create`,"
                        + " or `autolab login`)",
                session.getDescription());
        String credential = mint(alice.token(), project, node(), "box").getNodeCredential();
        Status byNode = mintRefusal(credential, project, node(), "other");
        assertEquals(Status.Code.PERMISSION_DENIED, byNode.getCode());
        assertEquals(
                "a node credential cannot register a node; register with a personal access token (AUTOLAB_TOKEN,"
                        + " or `autolab login`)",
                byNode.getDescription());
    }

    @Test
    void badTokensAreUnauthenticated() {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "tokens");
        for (String bad : new String[] {"", "al_nope", TokenCodec.mint(TokenType.PERSONAL)}) {
            Status s = mintRefusal(bad, project, node(), "box");
            assertEquals(Status.Code.UNAUTHENTICATED, s.getCode(), bad);
            assertTrue(
                    s.getDescription().contains("not a valid Autolab token")
                            || s.getDescription().contains("unknown token"),
                    s.getDescription());
        }
        String session = Api.sessionOf(alice.handle());
        Api.tokens(session)
                .revokeToken(RevokeTokenRequest.newBuilder().setRef("test").build());
        Status revoked = mintRefusal(alice.token(), project, node(), "box");
        assertEquals(Status.Code.UNAUTHENTICATED, revoked.getCode());
        assertTrue(revoked.getDescription().contains("was revoked"), revoked.getDescription());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not-a-uuid",
                "1-2-3-4-5",
                "3f2b8c1e5d4a4f7e9c2b1a2b3c4d5e6f",
                "3f2b8c1e-5d4a-4f7e-9c2b-1a2b3c4d5e6"
            })
    void aBadNodeIdIsInvalidArgumentSayingWhatToSend(String nodeId) {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "ids");
        Status s = mintRefusal(alice.token(), project, nodeId, "box");
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("node id"), s.getDescription());
        assertTrue(s.getDescription().contains("UUID"), s.getDescription());
        Status revoke = Api.refusal(() -> revokeNode(nodeId, ""));
        assertEquals(Status.Code.INVALID_ARGUMENT, revoke.getCode());
        assertEquals(s.getDescription(), revoke.getDescription());
    }

    @Test
    void aBadProjectIsInvalidArgumentSayingWhatToSend() {
        Api.Account alice = Api.signUp("alice");
        Status none = mintRefusal(alice.token(), "", node(), "box");
        assertEquals(Status.Code.INVALID_ARGUMENT, none.getCode());
        assertEquals("a project is required, as owner/name (e.g. alice/nanochat)", none.getDescription());
        Status noSlash = mintRefusal(alice.token(), "nanochat", node(), "box");
        assertEquals(Status.Code.INVALID_ARGUMENT, noSlash.getCode());
        assertTrue(noSlash.getDescription().contains("write owner/name"), noSlash.getDescription());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " box",
                "box ",
                "tab\there",
                "esc\u001b[2Jbox",
                "bidi\u202Egnp.exe",
                "line\u2028break",
                "x0123456789012345678901234567890123456789012345678901234567890123"
            })
    void aBadHostnameIsInvalidArgumentSayingWhatToSend(String hostname) {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "hosts");
        Status s = mintRefusal(alice.token(), project, node(), hostname);
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("hostname"), s.getDescription());
        assertTrue(s.getDescription().contains("autolab serve --name"), s.getDescription());
        assertFalse(s.getDescription().contains("\u001b"), "the message echoes a control character raw");
        assertFalse(s.getDescription().contains("\u202E"), "the message echoes a bidi override raw");
    }

    @Test
    void printableHostnamesWithSpacesAndUnicodeAreFine() {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "names");
        assertEquals(
                "node@Alice's Mac Studio",
                mint(alice.token(), project, node(), "Alice's Mac Studio")
                        .getPrincipal()
                        .getTokenName());
        assertEquals(
                "node@gpu-äöü-01",
                mint(alice.token(), project, node(), "gpu-äöü-01")
                        .getPrincipal()
                        .getTokenName());
    }

    @Test
    void twoNodesOfOneUserWithOneHostnameDoNotCollide() {
        Api.Account alice = Api.signUp("alice");
        String a = project(alice, "one");
        String b = project(alice, "two");
        String first = mint(alice.token(), a, node(), "gpu").getNodeCredential();
        String second = mint(alice.token(), a, node(), "gpu").getNodeCredential();
        String third = mint(alice.token(), b, node(), "gpu").getNodeCredential();
        for (String credential : List.of(first, second, third)) {
            assertEquals("node@gpu", validate(credential).getTokenName());
        }
        // Nor do they take a PAT's name: a PAT may be named like a node.
        assertEquals(
                "node@gpu",
                Api.tokens(alice.token())
                        .createToken(CreateTokenRequest.newBuilder()
                                .setName("node@gpu")
                                .build())
                        .getToken()
                        .getName());
    }

    @Test
    void onlyTheSha256OfANodeCredentialIsStored() {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "hashed");
        MintNodeCredentialResponse minted = mint(alice.token(), project, node(), "box");
        String id = minted.getPrincipal().getTokenId();
        for (String column :
                Db.rows("SELECT * FROM credentials WHERE id = ?::uuid", id).get(0)) {
            assertFalse(
                    column != null && column.contains(minted.getNodeCredential().substring(4)),
                    "plaintext in " + column);
        }
        String hex = Db.rows("SELECT encode(secret_hash, 'hex') FROM credentials WHERE id = ?::uuid", id)
                .get(0)
                .get(0);
        assertArrayEquals(
                TokenCodec.hash(minted.getNodeCredential()), HexFormat.of().parseHex(hex));
        assertEquals(
                List.of(List.of(patOf(alice.token()).getTokenId(), "NODE")),
                Db.rows("SELECT source_token_id, kind FROM credentials WHERE id = ?::uuid", id),
                "it records the PAT it came from");
    }

    @Test
    void aNodeCredentialCallsNoUserApiAndAuthorizesNothing() {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "scoped");
        String credential = mint(alice.token(), project, node(), "box").getNodeCredential();
        Status whoami = Api.refusal(() -> Api.users(credential).whoAmI(WhoAmIRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, whoami.getCode());
        assertEquals("a node credential cannot make this call; use a personal access token", whoami.getDescription());
        Status authorize = Api.refusal(() -> Api.internal()
                .authorize(AuthorizeRequest.newBuilder()
                        .setToken(credential)
                        .setProject(project)
                        .setMinimumRole(Role.ROLE_VIEWER)
                        .build()));
        assertEquals(Status.Code.PERMISSION_DENIED, authorize.getCode());
        assertEquals(
                "a node credential cannot act on projects for its user; use a personal access token",
                authorize.getDescription());
    }

    @Test
    void nodeCredentialsAreNeitherListedNorRevocableAsTokens() {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "hidden");
        MintNodeCredentialResponse minted = mint(alice.token(), project, node(), "box");
        String id = minted.getPrincipal().getTokenId();
        for (boolean all : new boolean[] {false, true}) {
            var listed = Api.tokens(alice.token())
                    .listTokens(ListTokensRequest.newBuilder().setAll(all).build())
                    .getTokensList();
            assertTrue(listed.stream().noneMatch(t -> t.getId().equals(id)), "listed with all=" + all);
            assertTrue(listed.stream().noneMatch(t -> t.getKind() == TokenKind.TOKEN_KIND_NODE));
        }
        for (String ref : List.of("node@box", id, id.substring(0, 8))) {
            Status s = Api.refusal(() -> Api.tokens(alice.token())
                    .revokeToken(RevokeTokenRequest.newBuilder().setRef(ref).build()));
            assertEquals(Status.Code.NOT_FOUND, s.getCode(), ref);
            assertTrue(s.getDescription().startsWith("no live token named or with an id starting with"), ref);
        }
        assertEquals(id, validate(minted.getNodeCredential()).getTokenId(), "still live");
    }

    @Test
    void revokingThePatRevokesItsNodeCredentialsWithTokenRevoked() throws Exception {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "revoked");
        MintNodeCredentialResponse one = mint(alice.token(), project, node(), "one");
        MintNodeCredentialResponse two = mint(alice.token(), project, node(), "two");
        // Another PAT's node is not touched.
        String other = Api.tokens(alice.token())
                .createToken(CreateTokenRequest.newBuilder().setName("other").build())
                .getSecret();
        MintNodeCredentialResponse kept = mint(other, project, node(), "kept");
        String patId = patOf(alice.token()).getTokenId();
        try (Watch watch = new Watch()) {
            watch.first();
            // `autolab logout` and `token revoke` both revoke by ref (logout: the token's id).
            Api.tokens(other)
                    .revokeToken(RevokeTokenRequest.newBuilder().setRef(patId).build());
            String oneId = one.getPrincipal().getTokenId();
            String twoId = two.getPrincipal().getTokenId();
            Revocations pushed = watch.until(List.of(patId, oneId, twoId), SECOND);
            assertFalse(pushed.containsReasons(patId), "a PAT's revocation has no node reason");
            assertPushed(pushed, oneId, "token_revoked");
            assertPushed(pushed, twoId, "token_revoked");
        }
        assertRevokedFor(one.getNodeCredential(), "token_revoked");
        assertRevokedFor(two.getNodeCredential(), "token_revoked");
        assertEquals(kept.getPrincipal(), validate(kept.getNodeCredential()));
    }

    @Test
    void aLoginReplacedByANewOneTakesItsNodeCredentials() throws Throwable {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "login");
        UUID user = UUID.fromString(patOf(alice.token()).getUserId());
        TokenService.Minted login = VertxContextSupport.subscribeAndAwait(
                () -> sessions.withTransaction(s -> tokens.mintLogin(s, user, "laptop")));
        MintNodeCredentialResponse minted = mint(login.secret(), project, node(), "laptop");
        assertEquals(
                login.credential().expiresAt == null,
                !minted.getPrincipal().hasExpiresAt(),
                "expires with the login token");
        try (Watch watch = new Watch()) {
            watch.first();
            VertxContextSupport.subscribeAndAwait(
                    () -> sessions.withTransaction(s -> tokens.mintLogin(s, user, "laptop")));
            String id = minted.getPrincipal().getTokenId();
            assertPushed(watch.until(List.of(login.credential().id.toString(), id), SECOND), id, "token_revoked");
        }
        assertRevokedFor(minted.getNodeCredential(), "token_revoked");
    }

    @Test
    void droppingBelowResearcherIsRoleLostForThatUserOnly() throws Exception {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String project = project(alice, "demoted");
        String elsewhere = project(bob, "own");
        setRole(alice, project, bob, Role.ROLE_ADMIN);
        MintNodeCredentialResponse bobs = mint(bob.token(), project, node(), "bob-box");
        MintNodeCredentialResponse bobsOwn = mint(bob.token(), elsewhere, node(), "bob-box");
        MintNodeCredentialResponse alices = mint(alice.token(), project, node(), "alice-box");
        // Still researcher or more: nothing happens.
        setRole(alice, project, bob, Role.ROLE_RESEARCHER);
        assertEquals(bobs.getPrincipal(), validate(bobs.getNodeCredential()));
        try (Watch watch = new Watch()) {
            watch.first();
            setRole(alice, project, bob, Role.ROLE_VIEWER);
            String id = bobs.getPrincipal().getTokenId();
            Revocations pushed = watch.until(List.of(id), SECOND);
            assertPushed(pushed, id, "role_lost");
            assertEquals(List.of(id), pushed.getTokenIdsList(), "nobody else's credential");
        }
        assertRevokedFor(bobs.getNodeCredential(), "role_lost");
        assertEquals(alices.getPrincipal(), validate(alices.getNodeCredential()));
        assertEquals(bobsOwn.getPrincipal(), validate(bobsOwn.getNodeCredential()));
        // The PAT itself still works: only what it registered on that project is gone.
        assertEquals(bob.handle(), patOf(bob.token()).getHandle());
    }

    @Test
    void removingTheMemberOrLeavingIsRoleLost() throws Exception {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        Api.Account carol = Api.signUp("carol");
        String project = project(alice, "removed");
        setRole(alice, project, bob, Role.ROLE_RESEARCHER);
        setRole(alice, project, carol, Role.ROLE_RESEARCHER);
        MintNodeCredentialResponse bobs = mint(bob.token(), project, node(), "bob-box");
        MintNodeCredentialResponse carols = mint(carol.token(), project, node(), "carol-box");
        try (Watch watch = new Watch()) {
            watch.first();
            Api.projects(alice.token())
                    .removeMember(RemoveMemberRequest.newBuilder()
                            .setProject(project)
                            .setHandle(bob.handle())
                            .build());
            String bobsId = bobs.getPrincipal().getTokenId();
            assertPushed(watch.until(List.of(bobsId), SECOND), bobsId, "role_lost");
            Api.projects(carol.token())
                    .removeMember(RemoveMemberRequest.newBuilder()
                            .setProject(project)
                            .setHandle(carol.handle())
                            .build());
            String carolsId = carols.getPrincipal().getTokenId();
            assertPushed(watch.until(List.of(carolsId), SECOND), carolsId, "role_lost");
        }
        assertRevokedFor(bobs.getNodeCredential(), "role_lost");
        assertRevokedFor(carols.getNodeCredential(), "role_lost");
        // And back as a member, registering needs a new mint: the old credential stays dead.
        setRole(alice, project, bob, Role.ROLE_RESEARCHER);
        assertRevokedFor(bobs.getNodeCredential(), "role_lost");
    }

    @Test
    void deletingTheProjectIsRoleLostForEveryNodeOfIt() throws Exception {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String project = project(alice, "deleted");
        setRole(alice, project, bob, Role.ROLE_RESEARCHER);
        MintNodeCredentialResponse alices = mint(alice.token(), project, node(), "a");
        MintNodeCredentialResponse bobs = mint(bob.token(), project, node(), "b");
        try (Watch watch = new Watch()) {
            watch.first();
            Api.projects(alice.token())
                    .deleteProject(DeleteProjectRequest.newBuilder()
                            .setProject(project)
                            .build());
            String a = alices.getPrincipal().getTokenId();
            String b = bobs.getPrincipal().getTokenId();
            Revocations pushed = watch.until(List.of(a, b), SECOND);
            assertPushed(pushed, a, "role_lost");
            assertPushed(pushed, b, "role_lost");
        }
        assertRevokedFor(alices.getNodeCredential(), "role_lost");
        assertRevokedFor(bobs.getNodeCredential(), "role_lost");
        // A new project of the same name is another project: the old credentials stay dead.
        project(alice, "deleted");
        assertRevokedFor(alices.getNodeCredential(), "role_lost");
    }

    @Test
    void registeringTheNodeAgainReplacesItsCredential() throws Exception {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String project = project(alice, "again");
        setRole(alice, project, bob, Role.ROLE_RESEARCHER);
        String nodeId = node();
        MintNodeCredentialResponse first = mint(alice.token(), project, nodeId, "box");
        try (Watch watch = new Watch()) {
            watch.first();
            // Even by another member: one machine, one live credential.
            MintNodeCredentialResponse second = mint(bob.token(), project, nodeId, "box");
            String id = first.getPrincipal().getTokenId();
            Revocations pushed = watch.until(List.of(id), SECOND);
            assertPushed(pushed, id, "node_reregistered");
            assertFalse(pushed.getTokenIdsList().contains(second.getPrincipal().getTokenId()));
            assertEquals(second.getPrincipal(), validate(second.getNodeCredential()));
        }
        assertRevokedFor(first.getNodeCredential(), "node_reregistered");
        assertEquals(
                List.of(List.of("1")),
                Db.rows("SELECT count(*) FROM credentials WHERE node_id = ?::uuid AND revoked_at IS NULL", nodeId),
                "one live credential per node");
    }

    @Test
    void aNodeIdOfAnotherProjectIsRefusedAndItsNodeKeepsItsCredential() {
        Api.Account alice = Api.signUp("alice");
        String first = project(alice, "first");
        String second = project(alice, "second");
        String nodeId = node();
        MintNodeCredentialResponse minted = mint(alice.token(), first, nodeId, "box");

        Status refused = mintRefusal(alice.token(), second, nodeId, "box");

        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getCode());
        assertEquals(
                "node " + nodeId + " belongs to another project; register it under a new node id",
                refused.getDescription());
        assertEquals(minted.getPrincipal(), validate(minted.getNodeCredential()), "the first project's node lives on");
    }

    @Test
    void revokeNodeCredentialsIsIdempotentAndCarriesItsReason() throws Exception {
        Api.Account alice = Api.signUp("alice");
        String project = project(alice, "removal");
        String nodeId = node();
        MintNodeCredentialResponse minted = mint(alice.token(), project, nodeId, "box");
        MintNodeCredentialResponse otherNode = mint(alice.token(), project, node(), "box");
        String id = minted.getPrincipal().getTokenId();
        try (Watch watch = new Watch()) {
            watch.first();
            assertEquals(List.of(id), revokeNode(nodeId, ""));
            assertPushed(watch.until(List.of(id), SECOND), id, "node_removed");
            assertEquals(List.of(), revokeNode(nodeId, ""), "again: nothing left to revoke, and no error");
            assertEquals(List.of(), revokeNode(node(), ""), "a node that never had a credential");
        }
        assertRevokedFor(minted.getNodeCredential(), "node_removed");
        assertEquals(otherNode.getPrincipal(), validate(otherNode.getNodeCredential()));

        String another = node();
        MintNodeCredentialResponse leased = mint(alice.token(), project, another, "box2");
        String leasedId = leased.getPrincipal().getTokenId();
        try (Watch watch = new Watch()) {
            watch.first();
            assertEquals(List.of(leasedId), revokeNode(another, "lease_expired"));
            assertPushed(watch.until(List.of(leasedId), SECOND), leasedId, "lease_expired");
        }
        assertRevokedFor(leased.getNodeCredential(), "lease_expired");
    }

    @Test
    void aBadReasonIsInvalidArgument() {
        for (String reason : List.of("Node Removed", "x,y", "node:removed", "é")) {
            Status s = Api.refusal(() -> revokeNode(node(), reason));
            assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), reason);
            assertTrue(s.getDescription().contains("is not a revocation reason"), s.getDescription());
            assertTrue(s.getDescription().contains("node_removed"), s.getDescription());
        }
    }

    /**
     * A mint racing the revocation of its PAT, or its user's demotion, either loses (refused) or is
     * seen by the cascade: never a live credential whose cause has committed. Both calls start
     * together, many times over; neither may fail otherwise (no deadlock, no INTERNAL).
     */
    @Test
    void aMintRacingItsCauseNeverLeavesALiveCredentialBehind() throws Exception {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String project = project(alice, "race");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String pat = Api.tokens(alice.token())
                        .createToken(CreateTokenRequest.newBuilder()
                                .setName("race-" + round)
                                .build())
                        .getSecret();
                setRole(alice, project, bob, Role.ROLE_RESEARCHER);
                var start = new java.util.concurrent.CountDownLatch(1);
                var minted = pool.submit(() -> {
                    start.await();
                    return Api.outcome(() -> mint(pat, project, node(), "racer"));
                });
                var mintedByBob = pool.submit(() -> {
                    start.await();
                    return Api.outcome(() -> mint(bob.token(), project, node(), "racer"));
                });
                start.countDown();
                Api.tokens(alice.token())
                        .revokeToken(RevokeTokenRequest.newBuilder()
                                .setRef("race-" + round)
                                .build());
                setRole(alice, project, bob, Role.ROLE_VIEWER);
                for (var outcome : List.of(minted.get(), mintedByBob.get())) {
                    if (outcome.refusal() != null) {
                        assertTrue(
                                outcome.refusal().getCode() == Status.Code.UNAUTHENTICATED
                                        || outcome.refusal().getCode() == Status.Code.PERMISSION_DENIED,
                                outcome.refusal().toString());
                    } else {
                        Status dead = validateRefusal(outcome.value().getNodeCredential());
                        assertEquals(Status.Code.UNAUTHENTICATED, dead.getCode(), "round " + round);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reasonsOfAnotherReplicaReachThisOnesWatchers() throws Exception {
        // What another replica's cascade looks like from here: its NOTIFY, with a reason.
        UUID id = UUID.randomUUID();
        UUID plain = UUID.randomUUID();
        try (Watch watch = new Watch()) {
            watch.first();
            Db.rows("SELECT 1 FROM pg_notify('autolab_revocations', ?)", plain + "," + id + ":role_lost");
            Revocations pushed = watch.until(List.of(plain.toString(), id.toString()), SECOND);
            assertEquals(Map.of(id.toString(), "role_lost"), pushed.getReasonsMap());
        }
    }
}
