package dev.autolab.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.autolab.keys.support.Api;
import dev.autolab.keys.support.FakeAuthResource;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.keys.v1.GetProjectLlmRequest;
import dev.autolab.proto.keys.v1.ListKeysRequest;
import dev.autolab.proto.keys.v1.ProjectLlm;
import dev.autolab.proto.keys.v1.ProviderKey;
import dev.autolab.proto.keys.v1.RemoveKeyRequest;
import dev.autolab.proto.keys.v1.SetProjectLlmRequest;
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
class BindingTest {
    FakeAuthService auth;

    static ProjectLlm use(String token, String project, String key, String model) {
        return Api.llm(token)
                .setProjectLlm(SetProjectLlmRequest.newBuilder()
                        .setProject(project)
                        .setKey(key)
                        .setModel(model)
                        .build());
    }

    static ProjectLlm get(String token, String project) {
        return Api.llm(token)
                .getProjectLlm(
                        GetProjectLlmRequest.newBuilder().setProject(project).build());
    }

    @Test
    void everyProjectStartsOnThePlatformKey() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "nanochat");
        ProjectLlm llm = get(alice.token(), project);
        assertTrue(llm.getPlatform());
        assertFalse(llm.hasKey());
        assertEquals("anthropic", llm.getProvider());
        assertEquals("anthropic/claude-sonnet-4-5", llm.getModel());
    }

    @Test
    void aResearcherBindsTheirOwnKeyWithAModelAndTeammatesSeeWhoseItIs() {
        var alice = auth.user("alice");
        var bob = auth.user("bob");
        String project = auth.project(alice, "nanochat");
        auth.grant(bob, project, Role.ROLE_RESEARCHER);
        ProviderKey key = KeyTest.add(bob.token(), "openai", "personal", KeyTest.VALUE);
        ProjectLlm bound = use(bob.token(), project, key.getId().substring(0, 6), "openai/gpt-5.5");
        assertFalse(bound.getPlatform());
        assertEquals("personal", bound.getKey().getName());
        assertEquals("openai/gpt-5.5", bound.getModel());
        assertEquals(bob.handle(), bound.getKeyOwner());

        var carol = auth.user("carol");
        auth.grant(carol, project, Role.ROLE_VIEWER);
        ProjectLlm seen = get(carol.token(), project);
        assertEquals(bob.handle(), seen.getKeyOwner());
        assertEquals("WXYZ", seen.getKey().getHint());
        assertFalse(seen.toString().contains(KeyTest.VALUE.substring(0, 12)));
        assertEquals(0, seen.getKey().getProjectsCount(), "teammates do not learn the owner's other projects");

        assertEquals(
                java.util.List.of(project),
                Api.keys(bob.token())
                        .listKeys(ListKeysRequest.getDefaultInstance())
                        .getKeys(0)
                        .getProjectsList(),
                "the key lists the projects using it");

        ProjectLlm back = use(bob.token(), project, "platform", "");
        assertTrue(back.getPlatform());
        assertTrue(get(alice.token(), project).getPlatform());
    }

    @Test
    void bindingRefusals() {
        var alice = auth.user("alice");
        var viewer = auth.user("viewer");
        var stranger = auth.user("stranger");
        String project = auth.project(alice, "nanochat");
        auth.grant(viewer, project, Role.ROLE_VIEWER);
        KeyTest.add(alice.token(), "anthropic", "claude", KeyTest.VALUE);
        KeyTest.add(viewer.token(), "openai", "v", KeyTest.VALUE);
        KeyTest.add(stranger.token(), "openai", "s", KeyTest.VALUE);

        Status byViewer = Api.refusal(() -> use(viewer.token(), project, "v", ""));
        assertEquals(Status.Code.PERMISSION_DENIED, byViewer.getCode());
        assertTrue(byViewer.getDescription().contains("researcher role or higher"), byViewer.getDescription());

        Status byStranger = Api.refusal(() -> use(stranger.token(), project, "s", ""));
        assertEquals(Status.Code.NOT_FOUND, byStranger.getCode());
        assertEquals(
                Status.Code.NOT_FOUND,
                Api.refusal(() -> get(stranger.token(), project)).getCode(),
                "a project the user cannot see is NOT_FOUND");

        Status foreignKey = Api.refusal(() -> use(alice.token(), project, "s", ""));
        assertEquals(Status.Code.NOT_FOUND, foreignKey.getCode(), "another user's key is not found");
        assertTrue(foreignKey.getDescription().contains("you have no key named"), foreignKey.getDescription());

        Status wrongModel = Api.refusal(() -> use(alice.token(), project, "claude", "openai/gpt-5.5"));
        assertEquals(Status.Code.INVALID_ARGUMENT, wrongModel.getCode());
        assertTrue(
                wrongModel
                        .getDescription()
                        .contains("is from openai, but key \"claude\" is for anthropic: pin an anthropic/... model"),
                wrongModel.getDescription());
        Status notAModel = Api.refusal(() -> use(alice.token(), project, "claude", "gpt-5.5"));
        assertTrue(notAModel.getDescription().contains("write it as provider/model"), notAModel.getDescription());

        assertTrue(get(alice.token(), project).getPlatform(), "no refusal changed the binding");
    }

    /** The dashboard's LLM Keys tab binds with the browser session, under the same role checks as a PAT. */
    @Test
    void aBrowserSessionBindsAndReadsLikeItsUser() {
        var alice = auth.user("alice");
        var viewer = auth.user("viewer");
        String project = auth.project(alice, "nanochat");
        auth.grant(viewer, project, Role.ROLE_VIEWER);
        KeyTest.add(alice.token(), "openai", "personal", KeyTest.VALUE);
        KeyTest.add(viewer.token(), "openai", "mine", KeyTest.VALUE);

        String session = auth.session(alice);
        ProjectLlm bound = use(session, project, "personal", "openai/gpt-5.5");
        assertEquals("personal", bound.getKey().getName());
        assertEquals("openai/gpt-5.5", get(session, project).getModel());
        assertTrue(use(session, project, "platform", "").getPlatform());

        String viewerSession = auth.session(viewer);
        Status byViewer = Api.refusal(() -> use(viewerSession, project, "mine", ""));
        assertEquals(Status.Code.PERMISSION_DENIED, byViewer.getCode());
        assertTrue(byViewer.getDescription().contains("researcher role or higher"), byViewer.getDescription());
        var stranger = auth.user("stranger");
        assertEquals(
                Status.Code.NOT_FOUND,
                Api.refusal(() -> get(auth.session(stranger), project)).getCode());
    }

    @Test
    void openrouterKeysAcceptAnyModel() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "router");
        KeyTest.add(alice.token(), "openrouter", null, KeyTest.VALUE);
        assertEquals(
                "openai/gpt-5.5",
                use(alice.token(), project, "openrouter", "openai/gpt-5.5").getModel());
        assertEquals(
                "meta-llama/llama-4-maverick",
                use(alice.token(), project, "openrouter", "meta-llama/llama-4-maverick")
                        .getModel());
    }

    @Test
    void removingAKeyInUseNeedsForceAndPutsItsProjectsBackOnThePlatformKey() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "nanochat");
        KeyTest.add(alice.token(), "openai", "personal", KeyTest.VALUE);
        use(alice.token(), project, "personal", "");
        Status inUse = Api.refusal(() -> Api.keys(alice.token())
                .removeKey(RemoveKeyRequest.newBuilder().setRef("personal").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, inUse.getCode());
        assertTrue(inUse.getDescription().contains("is used by " + project), inUse.getDescription());
        assertTrue(inUse.getDescription().contains("--force"), inUse.getDescription());
        assertFalse(get(alice.token(), project).getPlatform());

        Api.keys(alice.token())
                .removeKey(RemoveKeyRequest.newBuilder()
                        .setRef("personal")
                        .setForce(true)
                        .build());
        assertTrue(get(alice.token(), project).getPlatform());
    }
}
