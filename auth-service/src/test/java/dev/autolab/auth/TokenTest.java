package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.autolab.common.token.TokenCodec;
import dev.autolab.common.token.TokenType;
import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.CreateTokenResponse;
import dev.autolab.proto.auth.v1.ListTokensRequest;
import dev.autolab.proto.auth.v1.RevokeTokenRequest;
import dev.autolab.proto.auth.v1.Token;
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

@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class TokenTest {

    private static CreateTokenResponse create(String token, String name, int days) {
        return Api.tokens(token)
                .createToken(CreateTokenRequest.newBuilder()
                        .setName(name)
                        .setExpiresInDays(days)
                        .build());
    }

    private static Status whoAmIRefusal(String token) {
        return Api.refusal(() -> Api.users(token).whoAmI(WhoAmIRequest.getDefaultInstance()));
    }

    private static List<Token> list(String token, boolean all) {
        return Api.tokens(token)
                .listTokens(ListTokensRequest.newBuilder().setAll(all).build())
                .getTokensList();
    }

    @Test
    void aCreatedTokenIsShownOnceAndActsAsItsUser() {
        Api.Account alice = Api.signUp("alice");
        CreateTokenResponse created = create(alice.token(), "gpu-box", 30);
        assertTrue(TokenCodec.isValid(created.getSecret(), TokenType.PERSONAL));
        assertEquals(TokenKind.TOKEN_KIND_PAT, created.getToken().getKind());
        long days = (created.getToken().getExpiresAt().getSeconds()
                        - created.getToken().getCreatedAt().getSeconds())
                / 86400;
        assertEquals(30, days);
        var me = Api.users(created.getSecret()).whoAmI(WhoAmIRequest.getDefaultInstance());
        assertEquals(alice.handle(), me.getUser().getHandle());
        assertEquals("gpu-box", me.getToken().getName());
        // Listing never carries a secret.
        assertFalse(Api.tokens(alice.token())
                .listTokens(ListTokensRequest.getDefaultInstance())
                .toString()
                .contains(created.getSecret()));
    }

    @Test
    void onlyTheSha256OfATokenIsStored() {
        Api.Account alice = Api.signUp("alice");
        CreateTokenResponse created = create(alice.token(), "stored", 0);
        List<List<String>> rows = Db.rows(
                "SELECT * FROM credentials WHERE id = ?::uuid",
                created.getToken().getId());
        assertEquals(1, rows.size());
        for (String column : rows.get(0)) {
            assertFalse(column != null && column.contains(created.getSecret().substring(3)), "plaintext in " + column);
        }
        String hex = Db.rows(
                        "SELECT encode(secret_hash, 'hex') FROM credentials WHERE id = ?::uuid",
                        created.getToken().getId())
                .get(0)
                .get(0);
        assertArrayEquals(TokenCodec.hash(created.getSecret()), HexFormat.of().parseHex(hex));
    }

    @Test
    void aDuplicateLiveNameIsAlreadyExists() {
        Api.Account alice = Api.signUp("alice");
        create(alice.token(), "laptop", 0);
        Status s = Api.refusal(() -> create(alice.token(), "laptop", 0));
        assertEquals(Status.Code.ALREADY_EXISTS, s.getCode());
        assertTrue(s.getDescription().contains("autolab token revoke laptop"), s.getDescription());
    }

    @Test
    void aRevokedTokensNameCanBeReused() {
        Api.Account alice = Api.signUp("alice");
        create(alice.token(), "ci", 0);
        Api.tokens(alice.token())
                .revokeToken(RevokeTokenRequest.newBuilder().setRef("ci").build());
        assertEquals("ci", create(alice.token(), "ci", 0).getToken().getName());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "has space",
                "semi;colon",
                "x0123456789012345678901234567890123456789012345678901234567890123"
            })
    void badNamesAreInvalidArgument(String name) {
        Api.Account alice = Api.signUp("alice");
        Status s = Api.refusal(() -> create(alice.token(), name, 0));
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("token name"), s.getDescription());
    }

    @Test
    void expiryOutOfRangeIsInvalidArgument() {
        Api.Account alice = Api.signUp("alice");
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                Api.refusal(() -> create(alice.token(), "neg", -1)).getCode());
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                Api.refusal(() -> create(alice.token(), "big", 3651)).getCode());
    }

    @Test
    void revokeByNameStopsTheTokenAtOnceAndListAllSaysWhy() {
        Api.Account alice = Api.signUp("alice");
        String secret = create(alice.token(), "short-lived", 0).getSecret();
        Api.users(secret).whoAmI(WhoAmIRequest.getDefaultInstance()); // now cached
        Token revoked = Api.tokens(alice.token())
                .revokeToken(
                        RevokeTokenRequest.newBuilder().setRef("short-lived").build());
        assertTrue(revoked.hasRevokedAt());
        Status s = whoAmIRefusal(secret);
        assertEquals(Status.Code.UNAUTHENTICATED, s.getCode());
        assertTrue(s.getDescription().contains("revoked"), s.getDescription());
        assertTrue(
                list(alice.token(), false).stream().noneMatch(t -> t.getName().equals("short-lived")));
        Token inHistory = list(alice.token(), true).stream()
                .filter(t -> t.getName().equals("short-lived"))
                .findFirst()
                .orElseThrow();
        assertEquals("revoked by " + alice.handle(), inHistory.getRevokedReason());
    }

    @Test
    void revokeByIdPrefix() {
        Api.Account alice = Api.signUp("alice");
        CreateTokenResponse created = create(alice.token(), "by-id", 0);
        String prefix = created.getToken().getId().substring(0, 8);
        Token revoked = Api.tokens(alice.token())
                .revokeToken(RevokeTokenRequest.newBuilder().setRef(prefix).build());
        assertEquals("by-id", revoked.getName());
        assertEquals(
                Status.Code.UNAUTHENTICATED, whoAmIRefusal(created.getSecret()).getCode());
    }

    @Test
    void anAmbiguousIdPrefixListsTheCandidatesAndRevokesNothing() {
        Api.Account alice = Api.signUp("alice");
        String userId = Db.rows("SELECT id FROM users WHERE handle = ?", alice.handle())
                .get(0)
                .get(0);
        String prefix = "ab" + Integer.toHexString(0x10 + (int) (Math.random() * 0xef));
        for (String name : List.of("one", "two")) {
            Db.update(
                    "INSERT INTO credentials (id, user_id, name, kind, secret_hash, created_at)"
                            + " VALUES (?::uuid, ?::uuid, ?, 'PAT', ?, now())",
                    prefix + UUID.randomUUID().toString().substring(4),
                    userId,
                    name,
                    TokenCodec.hash(TokenCodec.mint(TokenType.PERSONAL)));
        }
        Status s = Api.refusal(() -> Api.tokens(alice.token())
                .revokeToken(RevokeTokenRequest.newBuilder().setRef(prefix).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("(one)") && s.getDescription().contains("(two)"), s.getDescription());
        assertEquals(3, list(alice.token(), false).size());
    }

    @Test
    void aTooShortPrefixOrUnknownRefIsNotFound() {
        Api.Account alice = Api.signUp("alice");
        Status s = Api.refusal(() -> Api.tokens(alice.token())
                .revokeToken(RevokeTokenRequest.newBuilder().setRef("abc").build()));
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
        assertTrue(s.getDescription().contains("at least 4"), s.getDescription());
        assertEquals(
                Status.Code.NOT_FOUND,
                Api.refusal(() -> Api.tokens(alice.token())
                                .revokeToken(RevokeTokenRequest.newBuilder()
                                        .setRef("no-such-token")
                                        .build()))
                        .getCode());
    }

    @Test
    void bobCannotListOrRevokeAlicesTokens() {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        CreateTokenResponse secret = create(alice.token(), "private", 0);
        assertTrue(list(bob.token(), true).stream()
                .noneMatch(t -> t.getId().equals(secret.getToken().getId())));
        assertEquals(
                Status.Code.NOT_FOUND,
                Api.refusal(() -> Api.tokens(bob.token())
                                .revokeToken(RevokeTokenRequest.newBuilder()
                                        .setRef("private")
                                        .build()))
                        .getCode());
        assertEquals(
                Status.Code.NOT_FOUND,
                Api.refusal(() -> Api.tokens(bob.token())
                                .revokeToken(RevokeTokenRequest.newBuilder()
                                        .setRef(secret.getToken().getId().substring(0, 8))
                                        .build()))
                        .getCode());
        assertEquals(
                alice.handle(),
                Api.users(secret.getSecret())
                        .whoAmI(WhoAmIRequest.getDefaultInstance())
                        .getUser()
                        .getHandle());
    }

    @Test
    void anExpiredTokenIsUnauthenticatedAndListedOnlyWithAll() {
        Api.Account alice = Api.signUp("alice");
        CreateTokenResponse created = create(alice.token(), "old", 1);
        Db.update(
                "UPDATE credentials SET expires_at = now() - interval '1 minute' WHERE id = ?::uuid",
                created.getToken().getId());
        Status s = whoAmIRefusal(created.getSecret());
        assertEquals(Status.Code.UNAUTHENTICATED, s.getCode());
        assertTrue(s.getDescription().contains("expired"), s.getDescription());
        assertTrue(
                list(alice.token(), false).stream().noneMatch(t -> t.getName().equals("old")));
        assertTrue(list(alice.token(), true).stream().anyMatch(t -> t.getName().equals("old")));
        // Its name is free again.
        assertEquals("old", create(alice.token(), "old", 0).getToken().getName());
    }

    @Test
    void malformedBadChecksumAndMissingCredentialsAreUnauthenticated() {
        String good = TokenCodec.mint(TokenType.PERSONAL);
        char last = good.charAt(good.length() - 1);
        String badChecksum = good.substring(0, good.length() - 1) + (last == 'a' ? 'b' : 'a');
        assertEquals(Status.Code.UNAUTHENTICATED, whoAmIRefusal("not-a-token").getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, whoAmIRefusal(badChecksum).getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, whoAmIRefusal(good).getCode()); // well formed, unknown
        Status missing = Api.refusal(() -> Api.tokensAnonymous().listTokens(ListTokensRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, missing.getCode());
        assertTrue(missing.getDescription().contains("autolab login"), missing.getDescription());
    }

    @Test
    void lastUsedIsRecordedAtMostOnceAMinute() {
        Api.Account alice = Api.signUp("alice");
        CreateTokenResponse created = create(alice.token(), "used", 0);
        assertFalse(list(alice.token(), false).stream()
                .filter(t -> t.getName().equals("used"))
                .findFirst()
                .orElseThrow()
                .hasLastUsedAt());
        var validate =
                ValidateTokenRequest.newBuilder().setToken(created.getSecret()).build();
        Api.internal().validateToken(validate);
        String first = Db.rows(
                        "SELECT last_used_at FROM credentials WHERE id = ?::uuid",
                        created.getToken().getId())
                .get(0)
                .get(0);
        assertNotNull(first);
        Api.internal().validateToken(validate);
        assertEquals(
                first,
                Db.rows(
                                "SELECT last_used_at FROM credentials WHERE id = ?::uuid",
                                created.getToken().getId())
                        .get(0)
                        .get(0));
        Db.update(
                "UPDATE credentials SET last_used_at = now() - interval '2 minutes' WHERE id = ?::uuid",
                created.getToken().getId());
        Api.internal().validateToken(validate);
        String later = Db.rows(
                        "SELECT last_used_at > now() - interval '1 minute' FROM credentials WHERE id = ?::uuid",
                        created.getToken().getId())
                .get(0)
                .get(0);
        assertEquals("t", later);
    }
}
