package dev.autolab.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.autolab.keys.support.Api;
import dev.autolab.keys.support.FakeAuthResource;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.keys.v1.AddKeyRequest;
import dev.autolab.proto.keys.v1.KeyChanges;
import dev.autolab.proto.keys.v1.ListKeysRequest;
import dev.autolab.proto.keys.v1.ProviderKey;
import dev.autolab.proto.keys.v1.RecordUsageRequest;
import dev.autolab.proto.keys.v1.RecordUsageResponse;
import dev.autolab.proto.keys.v1.RemoveKeyRequest;
import dev.autolab.proto.keys.v1.ResolveProjectKeyRequest;
import dev.autolab.proto.keys.v1.ResolvedKey;
import dev.autolab.proto.keys.v1.UpdateKeyRequest;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What execution nodes call: resolving the project's key, and reporting spend. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_keys"))
@WithTestResource(value = FakeAuthResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SpendTest {
    FakeAuthService auth;

    /** A project bound to alice's key, and a node of it. */
    record Setup(FakeAuthService.Account alice, String project, ProviderKey key, String node) {}

    Setup boundProject(Long limitMicroUsd) {
        var alice = auth.user("alice");
        String project = auth.project(alice, "nanochat");
        AddKeyRequest.Builder add = AddKeyRequest.newBuilder()
                .setProvider("openai")
                .setName("personal")
                .setValue(KeyTest.VALUE);
        if (limitMicroUsd != null) {
            add.setLimitMicroUsd(limitMicroUsd);
        }
        ProviderKey key = Api.keys(alice.token()).addKey(add.build());
        BindingTest.use(alice.token(), project, "personal", "openai/gpt-5.5");
        return new Setup(alice, project, key, auth.node(alice, project));
    }

    static ResolvedKey resolve(String token, String project) {
        return Api.resolution(token)
                .resolveProjectKey(ResolveProjectKeyRequest.newBuilder()
                        .setProject(project)
                        .build());
    }

    static RecordUsageResponse report(String node, String project, String keyId, long micros, String usageId) {
        return Api.resolution(node)
                .recordUsage(RecordUsageRequest.newBuilder()
                        .setProject(project)
                        .setKeyId(keyId)
                        .setMicroUsd(micros)
                        .setUsageId(usageId)
                        .build());
    }

    @Test
    void aNodeOfTheProjectResolvesItsKeyAndModel() {
        Setup s = boundProject(null);
        ResolvedKey resolved = resolve(s.node(), s.project());
        assertEquals(KeyTest.VALUE, resolved.getValue());
        assertEquals("openai", resolved.getProvider());
        assertEquals("openai/gpt-5.5", resolved.getModel());
        assertEquals(s.key().getId(), resolved.getKeyId());
        assertFalse(resolved.getPlatform());
    }

    @Test
    void aProjectOnThePlatformKeyResolvesThePlatformKey() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "fresh");
        ResolvedKey resolved = resolve(auth.node(alice, project), project);
        assertTrue(resolved.getPlatform());
        assertEquals("", resolved.getKeyId());
        assertEquals("platform-test-value-0000PLAT", resolved.getValue());
        assertEquals("anthropic/claude-sonnet-4-5", resolved.getModel());
    }

    @Test
    void onlyANodeOfThatProjectGetsAValue() {
        Setup s = boundProject(null);
        Status ownersPat = Api.refusal(() -> resolve(s.alice().token(), s.project()));
        assertEquals(Status.Code.PERMISSION_DENIED, ownersPat.getCode(), "a PAT, even the owner's, gets no value");
        assertTrue(ownersPat.getDescription().contains("needs a node credential"), ownersPat.getDescription());

        var other = auth.user("other");
        String otherProject = auth.project(other, "elsewhere");
        Status otherNode = Api.refusal(() -> resolve(auth.node(other, otherProject), s.project()));
        assertEquals(Status.Code.PERMISSION_DENIED, otherNode.getCode());
        assertTrue(otherNode.getDescription().contains("belongs to " + otherProject), otherNode.getDescription());
        Status otherReport = Api.refusal(() ->
                report(auth.node(other, otherProject), s.project(), s.key().getId(), 1, "u-" + UUID.randomUUID()));
        assertEquals(Status.Code.PERMISSION_DENIED, otherReport.getCode());
        Status revoked = Api.refusal(() -> resolve(
                dev.autolab.common.token.TokenCodec.mint(dev.autolab.common.token.TokenType.NODE), s.project()));
        assertEquals(Status.Code.UNAUTHENTICATED, revoked.getCode());
    }

    @Test
    void aHundredParallelReportsOfOneCentAddExactlyOneDollar() throws Exception {
        Setup s = boundProject(null);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<RecordUsageResponse>> replies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String usage = "u-" + UUID.randomUUID();
                replies.add(
                        pool.submit(() -> report(s.node(), s.project(), s.key().getId(), 10_000, usage)));
            }
            for (Future<RecordUsageResponse> r : replies) {
                r.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1_000_000, spent(s));
    }

    @Test
    void aHundredReplaysOfOneReportAddItOnce() throws Exception {
        Setup s = boundProject(null);
        String usage = "u-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<RecordUsageResponse>> replies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                replies.add(
                        pool.submit(() -> report(s.node(), s.project(), s.key().getId(), 10_000, usage)));
            }
            for (Future<RecordUsageResponse> r : replies) {
                assertEquals(10_000, r.get().getSpentMicroUsd(), "each reply carries the current total");
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(10_000, spent(s));
    }

    @Test
    void onceSpendReachesTheLimitResolvingIsResourceExhaustedNamingTheKeyAndLimit() {
        Setup s = boundProject(1_000_000L);
        RecordUsageResponse under = report(s.node(), s.project(), s.key().getId(), 999_999, "u-" + UUID.randomUUID());
        assertEquals(1_000_000, under.getLimitMicroUsd());
        assertEquals(KeyTest.VALUE, resolve(s.node(), s.project()).getValue());
        report(s.node(), s.project(), s.key().getId(), 1, "u-" + UUID.randomUUID());
        Status exhausted = Api.refusal(() -> resolve(s.node(), s.project()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, exhausted.getCode());
        assertTrue(exhausted.getDescription().contains("key \"personal\""), exhausted.getDescription());
        assertTrue(exhausted.getDescription().contains("spending limit of $1.00"), exhausted.getDescription());

        Api.keys(s.alice().token())
                .updateKey(UpdateKeyRequest.newBuilder()
                        .setRef("personal")
                        .setChanges(KeyChanges.newBuilder().setLimitMicroUsd(2_000_000))
                        .build());
        assertEquals(KeyTest.VALUE, resolve(s.node(), s.project()).getValue(), "a raised limit lets it through again");
    }

    @Test
    void aRotatedOrRemovedKeyIsNeverResolvedFromCache() {
        Setup s = boundProject(null);
        assertEquals(KeyTest.VALUE, resolve(s.node(), s.project()).getValue());
        Api.keys(s.alice().token())
                .updateKey(UpdateKeyRequest.newBuilder()
                        .setRef("personal")
                        .setChanges(KeyChanges.newBuilder().setValue("sk-rotated-value-0000-NEW1"))
                        .build());
        assertEquals(
                "sk-rotated-value-0000-NEW1", resolve(s.node(), s.project()).getValue());
        Api.keys(s.alice().token())
                .removeKey(RemoveKeyRequest.newBuilder()
                        .setRef("personal")
                        .setForce(true)
                        .build());
        ResolvedKey after = resolve(s.node(), s.project());
        assertTrue(after.getPlatform(), "a removed key's project is back on the platform key");
        assertEquals("platform-test-value-0000PLAT", after.getValue());
    }

    @Test
    void badReportsAreRefused() {
        Setup s = boundProject(null);
        Status noId = Api.refusal(() -> report(s.node(), s.project(), s.key().getId(), 5, ""));
        assertEquals(Status.Code.INVALID_ARGUMENT, noId.getCode());
        assertTrue(noId.getDescription().contains("usage id"), noId.getDescription());
        Status negative =
                Api.refusal(() -> report(s.node(), s.project(), s.key().getId(), -5, "u-" + UUID.randomUUID()));
        assertEquals(Status.Code.INVALID_ARGUMENT, negative.getCode());
        var mallory = auth.user("mallory");
        ProviderKey foreign = KeyTest.add(mallory.token(), "openai", "m", KeyTest.VALUE);
        Status notBound =
                Api.refusal(() -> report(s.node(), s.project(), foreign.getId(), 5, "u-" + UUID.randomUUID()));
        assertEquals(Status.Code.NOT_FOUND, notBound.getCode(), "a node can only charge its project's key");
        assertEquals(
                0,
                Api.keys(mallory.token())
                        .listKeys(ListKeysRequest.getDefaultInstance())
                        .getKeys(0)
                        .getSpentMicroUsd());
        // The platform key's spend is counted per project.
        var bob = auth.user("bob");
        String p = auth.project(bob, "plat");
        auth.grant(bob, p, Role.ROLE_OWNER);
        String node = auth.node(bob, p);
        report(node, p, "", 7, "p-1");
        assertEquals(14, report(node, p, "", 7, "p-2").getSpentMicroUsd());
        assertEquals(14, report(node, p, "", 7, "p-2").getSpentMicroUsd());
    }

    @Test
    void usageIdsBelongToTheirProjectAndAReplayMustBeTheSameReport() {
        Setup a = boundProject(null);
        Setup b = boundProject(null);
        String id = "u-" + UUID.randomUUID();
        report(b.node(), b.project(), b.key().getId(), 500, id);
        // Project A's node reusing B's usage id neither voids B's report nor is voided by it.
        assertEquals(
                300, report(a.node(), a.project(), a.key().getId(), 300, id).getSpentMicroUsd());
        assertEquals(500, spent(b));
        Status different =
                Api.refusal(() -> report(b.node(), b.project(), b.key().getId(), 900, id));
        assertEquals(Status.Code.ALREADY_EXISTS, different.getCode());
        assertTrue(
                different.getDescription().contains("give each report its own usage id"), different.getDescription());
        assertEquals(500, spent(b));
    }

    @Test
    void oneReportCannotExceedAThousandDollars() {
        Setup s = boundProject(null);
        Status huge = Api.refusal(
                () -> report(s.node(), s.project(), s.key().getId(), Long.MAX_VALUE, "u-" + UUID.randomUUID()));
        assertEquals(Status.Code.INVALID_ARGUMENT, huge.getCode());
        assertTrue(huge.getDescription().contains("($1,000)"), huge.getDescription());
        assertEquals(0, spent(s));
    }

    @Test
    void aKeyStopsServingAProjectItsOwnerLeftOrWasDemotedOn() {
        var alice = auth.user("alice");
        var bob = auth.user("bob");
        String project = auth.project(alice, "shared");
        auth.grant(bob, project, Role.ROLE_RESEARCHER);
        KeyTest.add(bob.token(), "openai", "bobs", KeyTest.VALUE);
        BindingTest.use(bob.token(), project, "bobs", "");
        String node = auth.node(alice, project);
        assertEquals(KeyTest.VALUE, resolve(node, project).getValue());

        auth.grant(bob, project, Role.ROLE_VIEWER);
        Status demoted = Api.refusal(() -> resolve(node, project));
        assertEquals(Status.Code.FAILED_PRECONDITION, demoted.getCode());
        assertTrue(
                demoted.getDescription().contains("belongs to " + bob.handle() + ", who is no longer a researcher"),
                demoted.getDescription());
        auth.removeMember(bob, project);
        assertEquals(
                Status.Code.FAILED_PRECONDITION,
                Api.refusal(() -> resolve(node, project)).getCode());
        assertFalse(Api.refusal(() -> resolve(node, project)).toString().contains(KeyTest.VALUE));
    }

    private static long spent(Setup s) {
        return Api.keys(s.alice().token())
                .listKeys(ListKeysRequest.getDefaultInstance())
                .getKeys(0)
                .getSpentMicroUsd();
    }
}
