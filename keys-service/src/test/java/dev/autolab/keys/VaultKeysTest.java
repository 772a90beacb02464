package dev.autolab.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.autolab.keys.support.Api;
import dev.autolab.keys.support.FakeAuthResource;
import dev.autolab.keys.support.LogCapture;
import dev.autolab.keys.support.VaultStandInResource;
import dev.autolab.proto.keys.v1.AddKeyRequest;
import dev.autolab.proto.keys.v1.KeyChanges;
import dev.autolab.proto.keys.v1.ProviderKey;
import dev.autolab.proto.keys.v1.RemoveKeyRequest;
import dev.autolab.proto.keys.v1.UpdateKeyRequest;
import dev.autolab.testing.Db;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.PostgresTestResource;
import dev.autolab.testing.VaultStandIn;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** keys-service on Vault (the stand-in, token auth): values live in KV v2, and a Vault outage leaves nothing half-done. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_keys"))
@WithTestResource(value = FakeAuthResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultStandInResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class VaultKeysTest {
    FakeAuthService auth;
    VaultStandIn vault;

    @AfterEach
    void repair() {
        vault.failing(false);
    }

    static int ready() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void valuesLiveInVaultOneVersionPerRotationAndRemovalDestroysThem() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "vaulted");
        ProviderKey key = KeyTest.add(alice.token(), "openai", "personal", KeyTest.VALUE);
        assertTrue(vault.dump().contains(KeyTest.VALUE), "the value is in Vault");
        assertEquals(0, Db.rows("SELECT 1 FROM local_secrets").size(), "and not in the database");
        BindingTest.use(alice.token(), project, "personal", "");
        String node = auth.node(alice, project);
        assertEquals(KeyTest.VALUE, SpendTest.resolve(node, project).getValue());

        Api.keys(alice.token())
                .updateKey(UpdateKeyRequest.newBuilder()
                        .setRef("personal")
                        .setChanges(KeyChanges.newBuilder().setValue("sk-rotated-in-vault-0000ROT2"))
                        .build());
        assertEquals(
                "sk-rotated-in-vault-0000ROT2", SpendTest.resolve(node, project).getValue());

        int before = vault.secretCount();
        Api.keys(alice.token())
                .removeKey(RemoveKeyRequest.newBuilder()
                        .setRef(key.getId())
                        .setForce(true)
                        .build());
        assertEquals(before - 1, vault.secretCount(), "every version is destroyed");
        assertFalse(vault.dump().contains("sk-rotated-in-vault-0000ROT2"));
    }

    @Test
    void whenVaultIsDownNothingIsHalfDoneAndTheErrorNamesVault() throws Exception {
        var alice = auth.user("alice");
        KeyTest.add(alice.token(), "anthropic", "kept", KeyTest.VALUE);
        int secrets = vault.secretCount();
        assertEquals(200, ready());
        vault.failing(true);
        try (LogCapture logs = new LogCapture()) {
            Status add = Api.refusal(() -> Api.keys(alice.token())
                    .addKey(AddKeyRequest.newBuilder()
                            .setProvider("openai")
                            .setName("new")
                            .setValue("sk-during-outage-000000ZZZZ")
                            .build()));
            assertEquals(Status.Code.UNAVAILABLE, add.getCode());
            assertTrue(add.getDescription().startsWith("Vault is unavailable"), add.getDescription());
            assertTrue(add.getDescription().contains("nothing was changed"), add.getDescription());

            Status remove = Api.refusal(() -> Api.keys(alice.token())
                    .removeKey(RemoveKeyRequest.newBuilder().setRef("kept").build()));
            assertEquals(Status.Code.UNAVAILABLE, remove.getCode());
            Status rotate = Api.refusal(() -> Api.keys(alice.token())
                    .updateKey(UpdateKeyRequest.newBuilder()
                            .setRef("kept")
                            .setChanges(KeyChanges.newBuilder().setValue("sk-rotation-during-outage-YYYY"))
                            .build()));
            assertEquals(Status.Code.UNAVAILABLE, rotate.getCode());
            assertEquals(503, ready(), "readiness follows Vault's sys/health");
            assertFalse(logs.text().contains("sk-during-outage"), logs.text());
            assertFalse(logs.text().contains("sk-rotation-during-outage"), logs.text());
        }
        vault.failing(false);
        assertEquals(200, ready());
        var keys = KeyTest.list(alice.token());
        assertEquals(1, keys.size(), "no row without a secret");
        assertEquals("kept", keys.get(0).getName());
        assertEquals("WXYZ", keys.get(0).getHint(), "the failed rotation changed nothing");
        assertEquals(secrets, vault.secretCount(), "no secret without a row");
    }
}
