package dev.autolab.nodes;

import static dev.autolab.nodes.support.Requests.register;
import static dev.autolab.nodes.support.Requests.registration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.nodes.support.Api;
import dev.autolab.nodes.support.FakeAuthResource;
import dev.autolab.nodes.support.NodeStream;
import dev.autolab.nodes.support.Poll;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.ListNodesRequest;
import dev.autolab.proto.nodes.v1.Node;
import dev.autolab.proto.nodes.v1.NodeStatus;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import dev.autolab.proto.nodes.v1.RemoveNodeRequest;
import dev.autolab.testing.Db;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** ListNodes (viewer+) and RemoveNode (admin+), as members see them. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_nodes"))
@WithTestResource(value = FakeAuthResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class NodeServiceTest {
    FakeAuthService auth;

    private FakeAuthService.Account alice;
    private String project;

    @BeforeEach
    void project() {
        alice = auth.user("alice");
        project = auth.project(alice, "nanochat");
        Poll.until("node-registry watching revocations", Duration.ofSeconds(15), () -> auth.watchers() > 0);
    }

    private List<Node> list(String token, String project) {
        return Api.nodes(token)
                .listNodes(ListNodesRequest.newBuilder().setProject(project).build())
                .getNodesList();
    }

    private void remove(String token, String project, String ref) {
        Api.nodes(token)
                .removeNode(RemoveNodeRequest.newBuilder()
                        .setProject(project)
                        .setNode(ref)
                        .build());
    }

    @Test
    void aViewerListsTheNodesWithTheirStatus() throws Exception {
        var victor = auth.user("victor");
        auth.grant(victor, project, Role.ROLE_VIEWER);
        RegisterNodeResponse online = register(alice.token(), registration(project, "a-online"));
        register(alice.token(), registration(project, "b-offline"));
        try (NodeStream node = NodeStream.open(online.getNodeCredential())) {
            node.next();
            List<Node> nodes = list(victor.token(), project);
            assertEquals(
                    List.of("a-online", "b-offline"),
                    nodes.stream().map(Node::getHostname).toList());
            assertEquals(NodeStatus.NODE_STATUS_ONLINE, nodes.get(0).getStatus());
            assertEquals(NodeStatus.NODE_STATUS_OFFLINE, nodes.get(1).getStatus());
            assertEquals(alice.handle(), nodes.get(0).getRegisteredBy());
            assertTrue(nodes.get(0).hasLastSeenAt());
            assertEquals("eu-west", nodes.get(0).getLabelsOrThrow("zone"));
        }
    }

    @Test
    void aBrowserSessionCannotListOrRemoveNodes() {
        // NodesAccessPolicy takes only a token for these (Authorize would accept a session), so a session is
        // refused at the door with the standard message.
        RegisterNodeResponse r = register(alice.token(), registration(project, "box"));
        String session = auth.session(alice);
        String standard = "a browser session can only approve sign-ins and use the dashboard; "
                + "use a personal access token (`autolab token create`)";
        Status listing = Api.refusal(() -> list(session, project));
        assertEquals(Status.Code.PERMISSION_DENIED, listing.getCode());
        assertEquals(standard, listing.getDescription());
        Status removing = Api.refusal(() -> remove(session, project, r.getNode().getId()));
        assertEquals(Status.Code.PERMISSION_DENIED, removing.getCode());
        assertEquals(standard, removing.getDescription());
        assertEquals(1, list(alice.token(), project).size(), "still there");
    }

    @Test
    void aNonMemberCannotListAndAProjectIsNeeded() {
        var mallory = auth.user("mallory");
        register(alice.token(), registration(project, "box"));
        Status refused = Api.refusal(() -> list(mallory.token(), project));
        assertEquals(Status.Code.NOT_FOUND, refused.getCode());

        Status bad = Api.refusal(() -> list(alice.token(), "no-slash"));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getCode());
        assertTrue(bad.getDescription().contains("project"), bad.getDescription());
    }

    @Test
    void anAdminRemovesAConnectedNodeWhichIsToldWhy() throws Exception {
        var adam = auth.user("adam");
        auth.grant(adam, project, Role.ROLE_ADMIN);
        RegisterNodeResponse r = register(alice.token(), registration(project, "doomed"));
        try (NodeStream node = NodeStream.open(r.getNodeCredential())) {
            node.next();
            remove(adam.token(), project, "doomed");
            ControlMessage m = node.next(Duration.ofSeconds(2));
            assertTrue(m.hasDisconnect(), m.toString());
            assertEquals("node_removed", m.getDisconnect().getReason());
            assertEquals(Status.Code.OK, node.awaitEnd().getCode());
        }
        assertTrue(list(alice.token(), project).isEmpty());
        assertEquals(0, auth.liveCredentials(r.getNode().getId()), "its credential revoked");
        try (NodeStream back = NodeStream.open(r.getNodeCredential())) {
            assertEquals(Status.Code.UNAUTHENTICATED, back.awaitEnd().getCode(), "it cannot come back");
        }
    }

    @Test
    void removalTakesAnIdOrAnIdPrefixAndRefusesAmbiguity() {
        RegisterNodeResponse one = register(alice.token(), registration(project, "twin"));
        RegisterNodeResponse two = register(alice.token(), registration(project, "twin"));

        Status ambiguous = Api.refusal(() -> remove(alice.token(), project, "twin"));
        assertEquals(Status.Code.INVALID_ARGUMENT, ambiguous.getCode());
        String message = ambiguous.getDescription();
        assertTrue(message.contains(one.getNode().getId().substring(0, 8)), message);
        assertTrue(message.contains(two.getNode().getId().substring(0, 8)), message);

        remove(alice.token(), project, one.getNode().getId().substring(0, 13));
        remove(alice.token(), project, two.getNode().getId().toUpperCase(java.util.Locale.ROOT));
        assertTrue(list(alice.token(), project).isEmpty());

        Status missing = Api.refusal(() -> remove(alice.token(), project, "twin"));
        assertEquals(Status.Code.NOT_FOUND, missing.getCode());
        assertTrue(missing.getDescription().contains("autolab nodes"), missing.getDescription());
    }

    @Test
    void aResearcherCannotRemoveANode() {
        var rita = auth.user("rita");
        auth.grant(rita, project, Role.ROLE_RESEARCHER);
        RegisterNodeResponse r = register(rita.token(), registration(project, "ritas-box"));
        Status refused =
                Api.refusal(() -> remove(rita.token(), project, r.getNode().getId()));
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getCode());
        assertTrue(refused.getDescription().contains("admin"), refused.getDescription());
        assertTrue(refused.getDescription().contains("researcher"), refused.getDescription());
        assertEquals(1, list(alice.token(), project).size(), "still there");
        assertEquals(1, auth.liveCredentials(r.getNode().getId()));
    }

    @Test
    void anotherProjectsNodeIsNotFound() {
        var bob = auth.user("bob");
        String bobs = auth.project(bob, "other");
        RegisterNodeResponse theirs = register(bob.token(), registration(bobs, "bobs-box"));

        // Alice is owner of her project, but the node is not in it.
        Status refused = Api.refusal(
                () -> remove(alice.token(), project, theirs.getNode().getId()));
        assertEquals(Status.Code.NOT_FOUND, refused.getCode());
        // And she cannot name bob's project at all.
        Status hidden =
                Api.refusal(() -> remove(alice.token(), bobs, theirs.getNode().getId()));
        assertEquals(Status.Code.NOT_FOUND, hidden.getCode());
        assertEquals(
                List.of(List.of("bobs-box")),
                Db.rows(
                        "SELECT hostname FROM nodes WHERE id = ?::uuid",
                        theirs.getNode().getId()));
        assertEquals(1, auth.liveCredentials(theirs.getNode().getId()));
    }
}
