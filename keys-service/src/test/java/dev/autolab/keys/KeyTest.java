package dev.autolab.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.autolab.keys.support.Api;
import dev.autolab.keys.support.FakeAuthResource;
import dev.autolab.proto.keys.v1.AddKeyRequest;
import dev.autolab.proto.keys.v1.KeyChanges;
import dev.autolab.proto.keys.v1.ListKeysRequest;
import dev.autolab.proto.keys.v1.ListProvidersRequest;
import dev.autolab.proto.keys.v1.ProviderKey;
import dev.autolab.proto.keys.v1.RemoveKeyRequest;
import dev.autolab.proto.keys.v1.UpdateKeyRequest;
import dev.autolab.testing.Db;
import dev.autolab.testing.FakeAuthService;
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
        initArgs = @ResourceArg(name = "database", value = "autolab_keys"))
@WithTestResource(value = FakeAuthResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KeyTest {
    static final String VALUE = "sk-ant-test-0123456789abcdefWXYZ";

    FakeAuthService auth;

    static ProviderKey add(String token, String provider, String name, String value) {
        AddKeyRequest.Builder b =
                AddKeyRequest.newBuilder().setProvider(provider).setValue(value);
        if (name != null) {
            b.setName(name);
        }
        return Api.keys(token).addKey(b.build());
    }

    static List<ProviderKey> list(String token) {
        return Api.keys(token).listKeys(ListKeysRequest.getDefaultInstance()).getKeysList();
    }

    static Status addRefusal(String token, AddKeyRequest request) {
        return Api.refusal(() -> Api.keys(token).addKey(request));
    }

    @Test
    void anAddedKeyIsListedWithAHintAndItsNameDefaultsToTheProvider() {
        var alice = auth.user("alice");
        ProviderKey added = Api.keys(alice.token())
                .addKey(AddKeyRequest.newBuilder()
                        .setProvider("anthropic")
                        .setValue("  " + VALUE + "\n")
                        .setLimitMicroUsd(25_000_000)
                        .build());
        assertEquals("anthropic", added.getName());
        assertEquals("anthropic", added.getProvider());
        assertEquals("WXYZ", added.getHint());
        assertEquals(25_000_000, added.getLimitMicroUsd());
        assertEquals(0, added.getSpentMicroUsd());
        List<ProviderKey> keys = list(alice.token());
        assertEquals(1, keys.size());
        assertEquals(added.getId(), keys.get(0).getId());
        assertFalse(keys.toString().contains(VALUE.substring(0, 12)), "no value in a listing");
        assertTrue(list(auth.user("bob").token()).isEmpty(), "keys belong to their user");
    }

    @Test
    void theValueIsStoredOnlyEncrypted() {
        var alice = auth.user("alice");
        ProviderKey added = add(alice.token(), "openai", "personal", VALUE);
        for (String table : new String[] {"provider_keys", "local_secrets"}) {
            for (List<String> row : Db.rows(
                    "SELECT * FROM " + table + " WHERE " + (table.equals("provider_keys") ? "id" : "key_id")
                            + " = ?::uuid",
                    added.getId())) {
                for (String column : row) {
                    assertFalse(column != null && column.contains(VALUE.substring(0, 16)), table + ": " + column);
                }
            }
        }
        assertEquals(
                1,
                Db.rows("SELECT 1 FROM local_secrets WHERE key_id = ?::uuid", added.getId())
                        .size());
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        var alice = auth.user("alice");
        Status unknown = addRefusal(
                alice.token(),
                AddKeyRequest.newBuilder().setProvider("openia").setValue(VALUE).build());
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getCode());
        assertTrue(unknown.getDescription().contains("unknown provider \"openia\""), unknown.getDescription());
        assertTrue(
                unknown.getDescription()
                        .contains("anthropic, openai, google, openrouter, xai, deepseek, minimax, "
                                + "moonshot, glm, qwen"),
                unknown.getDescription());

        Status empty = addRefusal(
                alice.token(),
                AddKeyRequest.newBuilder().setProvider("openai").setValue(" \n").build());
        assertEquals(Status.Code.INVALID_ARGUMENT, empty.getCode());
        assertTrue(empty.getDescription().contains("the key value is empty"), empty.getDescription());

        for (long bad : new long[] {0, -5}) {
            Status limit = addRefusal(
                    alice.token(),
                    AddKeyRequest.newBuilder()
                            .setProvider("openai")
                            .setValue(VALUE)
                            .setLimitMicroUsd(bad)
                            .build());
            assertEquals(Status.Code.INVALID_ARGUMENT, limit.getCode());
            assertTrue(limit.getDescription().contains("must be more than $0"), limit.getDescription());
        }

        Status control = addRefusal(
                alice.token(),
                AddKeyRequest.newBuilder()
                        .setProvider("openai")
                        .setName("a\u001bb")
                        .setValue(VALUE)
                        .build());
        assertEquals(Status.Code.INVALID_ARGUMENT, control.getCode());
        assertTrue(control.getDescription().contains("control characters"), control.getDescription());
        Status reserved = addRefusal(
                alice.token(),
                AddKeyRequest.newBuilder()
                        .setProvider("openai")
                        .setName("platform")
                        .setValue(VALUE)
                        .build());
        assertTrue(reserved.getDescription().contains("reserved"), reserved.getDescription());

        add(alice.token(), "openai", "personal", VALUE);
        Status duplicate = addRefusal(
                alice.token(),
                AddKeyRequest.newBuilder()
                        .setProvider("anthropic")
                        .setName("personal")
                        .setValue(VALUE)
                        .build());
        assertEquals(Status.Code.ALREADY_EXISTS, duplicate.getCode());
        assertTrue(
                duplicate.getDescription().contains("already have a key named \"personal\""),
                duplicate.getDescription());
        assertEquals(1, list(alice.token()).size(), "refusals store nothing");
        // Nothing refused left a secret behind either.
        assertEquals(
                1,
                Db.rows(
                                "SELECT 1 FROM local_secrets s JOIN provider_keys k ON k.id = s.key_id"
                                        + " WHERE k.owner_id = ?::uuid",
                                alice.userId())
                        .size());
    }

    @Test
    void anotherUsersKeyIsNotFoundNeverForbidden() {
        var alice = auth.user("alice");
        var mallory = auth.user("mallory");
        ProviderKey key = add(alice.token(), "openai", "personal", VALUE);
        for (String ref : new String[] {"personal", key.getId().substring(0, 8), key.getId()}) {
            Status remove = Api.refusal(() -> Api.keys(mallory.token())
                    .removeKey(RemoveKeyRequest.newBuilder().setRef(ref).build()));
            assertEquals(Status.Code.NOT_FOUND, remove.getCode(), ref);
            assertTrue(
                    remove.getDescription().contains("you have no key named or with an id starting with"),
                    remove.getDescription());
            Status update = Api.refusal(() -> Api.keys(mallory.token())
                    .updateKey(UpdateKeyRequest.newBuilder()
                            .setRef(ref)
                            .setChanges(KeyChanges.newBuilder().setName("mine"))
                            .build()));
            assertEquals(Status.Code.NOT_FOUND, update.getCode(), ref);
        }
        assertEquals(1, list(alice.token()).size());
    }

    @Test
    void aKeyIsFoundByNameOrIdPrefixAndAnAmbiguousPrefixListsTheCandidates() {
        var alice = auth.user("alice");
        ProviderKey first = add(alice.token(), "openai", "one", VALUE);
        // Two keys whose ids share a prefix, as a collision would look.
        String shared = first.getId().substring(0, 6);
        ProviderKey second = add(alice.token(), "openai", "two", VALUE);
        // Sharing exactly 6 characters: the 7th differs, so 8 characters of the first id are unambiguous.
        String secondId = shared
                + (first.getId().charAt(6) == '0' ? '1' : '0')
                + second.getId().substring(7);
        Db.update("UPDATE local_secrets SET key_id = ?::uuid WHERE key_id = ?::uuid", secondId, second.getId());
        Db.update("UPDATE provider_keys SET id = ?::uuid WHERE id = ?::uuid", secondId, second.getId());
        Status ambiguous = Api.refusal(() -> Api.keys(alice.token())
                .removeKey(RemoveKeyRequest.newBuilder().setRef(shared).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, ambiguous.getCode());
        assertTrue(ambiguous.getDescription().contains("matches 2 keys"), ambiguous.getDescription());
        assertTrue(
                ambiguous.getDescription().contains("(one)")
                        && ambiguous.getDescription().contains("(two)"),
                ambiguous.getDescription());
        Status tooShort = Api.refusal(() -> Api.keys(alice.token())
                .removeKey(RemoveKeyRequest.newBuilder()
                        .setRef(shared.substring(0, 3))
                        .build()));
        assertTrue(tooShort.getDescription().contains("at least 4 characters"), tooShort.getDescription());

        Api.keys(alice.token())
                .removeKey(RemoveKeyRequest.newBuilder()
                        .setRef(first.getId().substring(0, 8))
                        .build());
        Api.keys(alice.token())
                .removeKey(RemoveKeyRequest.newBuilder().setRef("two").build());
        assertTrue(list(alice.token()).isEmpty());
        assertEquals(
                0,
                Db.rows("SELECT 1 FROM local_secrets WHERE key_id IN (?::uuid, ?::uuid)", first.getId(), secondId)
                        .size(),
                "removal destroys the secret");
    }

    @Test
    void renameLimitAndRotate() {
        var alice = auth.user("alice");
        ProviderKey key = add(alice.token(), "openai", "personal", VALUE);
        ProviderKey renamed = Api.keys(alice.token())
                .updateKey(UpdateKeyRequest.newBuilder()
                        .setRef("personal")
                        .setChanges(KeyChanges.newBuilder().setName("work").setLimitMicroUsd(5_000_000))
                        .build());
        assertEquals("work", renamed.getName());
        assertEquals(5_000_000, renamed.getLimitMicroUsd());
        ProviderKey cleared = Api.keys(alice.token())
                .updateKey(UpdateKeyRequest.newBuilder()
                        .setRef("work")
                        .setChanges(KeyChanges.newBuilder().setClearLimit(true))
                        .build());
        assertFalse(cleared.hasLimitMicroUsd());
        ProviderKey rotated = Api.keys(alice.token())
                .updateKey(UpdateKeyRequest.newBuilder()
                        .setRef(key.getId())
                        .setChanges(KeyChanges.newBuilder().setValue("sk-new-value-9876543210-ABCD"))
                        .build());
        assertEquals("ABCD", rotated.getHint());
        assertEquals(
                List.of("2"),
                Db.rows("SELECT secret_version FROM provider_keys WHERE id = ?::uuid", key.getId())
                        .get(0));

        add(alice.token(), "anthropic", "other", VALUE);
        Status taken = Api.refusal(() -> Api.keys(alice.token())
                .updateKey(UpdateKeyRequest.newBuilder()
                        .setRef("work")
                        .setChanges(KeyChanges.newBuilder().setName("other"))
                        .build()));
        assertEquals(Status.Code.ALREADY_EXISTS, taken.getCode());
        Status nothing = Api.refusal(() -> Api.keys(alice.token())
                .updateKey(UpdateKeyRequest.newBuilder()
                        .setRef("work")
                        .setChanges(KeyChanges.getDefaultInstance())
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, nothing.getCode());
        Status badLimit = Api.refusal(() -> Api.keys(alice.token())
                .updateKey(UpdateKeyRequest.newBuilder()
                        .setRef("work")
                        .setChanges(KeyChanges.newBuilder().setLimitMicroUsd(0))
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, badLimit.getCode());
        Status emptyRotation = Api.refusal(() -> Api.keys(alice.token())
                .updateKey(UpdateKeyRequest.newBuilder()
                        .setRef("work")
                        .setChanges(KeyChanges.newBuilder().setValue(""))
                        .build()));
        assertTrue(emptyRotation.getDescription().contains("the key value is empty"), emptyRotation.getDescription());
    }

    @Test
    void callsNeedAUsersCredentialAndProvidersArePublic() {
        assertEquals(
                10,
                Api.providers()
                        .listProviders(ListProvidersRequest.getDefaultInstance())
                        .getProvidersCount());
        var alice = auth.user("alice");
        String node = auth.node(alice, alice.handle() + "/p");
        Status nodeCall = Api.refusal(() -> list(node));
        assertEquals(Status.Code.PERMISSION_DENIED, nodeCall.getCode());
        Status unknown = Api.refusal(
                () -> list(dev.autolab.common.token.TokenCodec.mint(dev.autolab.common.token.TokenType.PERSONAL)));
        assertEquals(Status.Code.UNAUTHENTICATED, unknown.getCode());
    }
}
