package dev.autolab.nodes;

import static dev.autolab.nodes.support.Requests.register;
import static dev.autolab.nodes.support.Requests.registration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.StatusMapper;
import dev.autolab.common.token.TokenCodec;
import dev.autolab.common.token.TokenType;
import dev.autolab.nodes.node.NodeService;
import dev.autolab.nodes.support.Api;
import dev.autolab.nodes.support.FakeAuthResource;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.nodes.v1.Gpu;
import dev.autolab.proto.nodes.v1.NodeStatus;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import dev.autolab.proto.nodes.v1.Resources;
import dev.autolab.testing.Db;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** RegisterNode: who may register, what is checked, and that one machine is always one node. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_nodes"))
@WithTestResource(value = FakeAuthResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RegisterNodeTest {
    FakeAuthService auth;

    @Inject
    NodeService service;

    @Test
    void anOwnerRegistersAMachineAndGetsItsOwnCredential() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "nanochat");

        RegisterNodeResponse r = register(alice.token(), registration(project, "gpu-box-1"));

        assertTrue(TokenCodec.isValid(r.getNodeCredential(), TokenType.NODE), "an aln_ credential");
        assertEquals(10, r.getHeartbeatIntervalSeconds());
        assertEquals(project, r.getNode().getProject());
        assertEquals("gpu-box-1", r.getNode().getHostname());
        assertEquals(alice.handle(), r.getNode().getRegisteredBy());
        assertEquals("eu-west", r.getNode().getLabelsOrThrow("zone"));
        assertEquals(dev.autolab.nodes.support.Requests.GPU_BOX, r.getNode().getResources());
        assertEquals(NodeStatus.NODE_STATUS_OFFLINE, r.getNode().getStatus(), "online only once connected");
        var principal = auth.principalOf(r.getNodeCredential());
        assertEquals(r.getNode().getId(), principal.getNodeId(), "the credential is bound to the node");
        assertEquals(project, principal.getProject());
        assertEquals("node@gpu-box-1", principal.getTokenName());

        var rows = Db.rows(
                "SELECT project, hostname, registered_by, registered_by_user::text, lease_expires_at FROM nodes"
                        + " WHERE id = ?::uuid",
                r.getNode().getId());
        assertEquals(
                List.of(List.of(project, "gpu-box-1", alice.handle(), alice.userId())),
                rows.stream().map(row -> row.subList(0, 4)).toList());
        assertNull(rows.get(0).get(4), "no lease before the node connects");
    }

    @Test
    void aResearcherMayRegister() {
        var alice = auth.user("alice");
        var bob = auth.user("bob");
        String project = auth.project(alice, "nanochat");
        auth.grant(bob, project, Role.ROLE_RESEARCHER);

        RegisterNodeResponse r = register(bob.token(), registration(project, "bobs-box"));
        assertEquals(bob.handle(), r.getNode().getRegisteredBy());
    }

    @Test
    void aViewerIsRefusedWithTheRoleNeededAndTheRoleHeld() {
        var alice = auth.user("alice");
        var victor = auth.user("victor");
        String project = auth.project(alice, "nanochat");
        auth.grant(victor, project, Role.ROLE_VIEWER);

        Status refused = Api.refusal(() -> register(victor.token(), registration(project, "box")));
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getCode());
        assertTrue(refused.getDescription().contains("researcher"), refused.getDescription());
        assertTrue(refused.getDescription().contains("viewer"), refused.getDescription());
        assertEquals(0, count(project), "nothing stored");
    }

    @Test
    void aNonMemberGetsNotFound() {
        var alice = auth.user("alice");
        var mallory = auth.user("mallory");
        String project = auth.project(alice, "nanochat");

        Status refused = Api.refusal(() -> register(mallory.token(), registration(project, "box")));
        assertEquals(Status.Code.NOT_FOUND, refused.getCode());
        assertTrue(refused.getDescription().contains(project), refused.getDescription());
        assertEquals(0, count(project));
    }

    @Test
    void aSessionOrANodeCredentialCannotRegister() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "nanochat");
        String node = register(alice.token(), registration(project, "first")).getNodeCredential();

        Status bySession = Api.refusal(() -> register(auth.session(alice), registration(project, "box")));
        assertEquals(Status.Code.PERMISSION_DENIED, bySession.getCode());
        assertTrue(bySession.getDescription().contains("personal access token"), bySession.getDescription());

        Status byNode = Api.refusal(() -> register(node, registration(project, "box")));
        assertEquals(Status.Code.PERMISSION_DENIED, byNode.getCode());
        assertTrue(byNode.getDescription().contains("node credential"), byNode.getDescription());

        Status unknown = Api.refusal(() -> register(TokenCodec.mint(TokenType.PERSONAL), registration(project, "box")));
        assertEquals(Status.Code.UNAUTHENTICATED, unknown.getCode());
        assertEquals(1, count(project));
    }

    @Test
    void everyFieldIsCheckedAndTheRefusalNamesIt() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "nanochat");
        int mintsBefore = auth.mints();

        refused(alice.token(), project, r -> r.setProject("nanochat"), "project");
        refused(alice.token(), project, r -> r.setProject(""), "project");
        refused(alice.token(), project, r -> r.setMachineId(""), "machine_id");
        refused(alice.token(), project, r -> r.setMachineId("x".repeat(129)), "machine_id");
        refused(alice.token(), project, r -> r.setMachineId("abc\u0007def"), "machine_id");
        refused(alice.token(), project, r -> r.setHostname(""), "hostname");
        refused(alice.token(), project, r -> r.setHostname("h".repeat(65)), "hostname");
        refused(alice.token(), project, r -> r.setHostname("box\u001b[31m"), "hostname");
        refused(alice.token(), project, r -> r.putLabels("-bad", "x"), "labels");
        refused(alice.token(), project, r -> r.putLabels("UPPER.example/zone", "x"), "labels");
        refused(alice.token(), project, r -> r.putLabels("a".repeat(64), "x"), "labels");
        refused(alice.token(), project, r -> r.putLabels("zone", "v".repeat(257)), "labels[zone]");
        refused(alice.token(), project, r -> r.putLabels("zone", "line\nbreak"), "labels[zone]");
        refused(
                alice.token(),
                project,
                r -> {
                    for (int i = 0; i < 33; i++) {
                        r.putLabels("l" + i, "v");
                    }
                },
                "labels");
        refused(
                alice.token(),
                project,
                r -> r.setResources(Resources.newBuilder().setCpus(-1)),
                "resources.cpus");
        refused(
                alice.token(),
                project,
                r -> r.setResources(Resources.newBuilder().setMemoryBytes(-5)),
                "resources.memory_bytes");
        refused(
                alice.token(),
                project,
                r -> r.setResources(
                        Resources.newBuilder().addGpus(Gpu.newBuilder().setMemoryBytes(-1))),
                "resources.gpus[0].memory_bytes");
        refused(
                alice.token(),
                project,
                r -> r.setResources(
                        Resources.newBuilder().addGpus(Gpu.newBuilder().setModel("H100\u0000"))),
                "NUL character"); // refused by RequestHygiene before any lookup
        refused(
                alice.token(),
                project,
                r -> r.setResources(
                        Resources.newBuilder().addGpus(Gpu.newBuilder().setModel("H100\u009b"))),
                "resources.gpus[0].model");
        refused(
                alice.token(),
                project,
                r -> {
                    Resources.Builder many = Resources.newBuilder();
                    for (int i = 0; i < 65; i++) {
                        many.addGpus(Gpu.newBuilder().setModel("g"));
                    }
                    r.setResources(many);
                },
                "resources.gpus");

        assertEquals(mintsBefore, auth.mints(), "nothing was minted for a bad request");
        assertEquals(0, count(project));

        // What is allowed at the edges is accepted.
        RegisterNodeResponse ok = register(
                alice.token(),
                registration(project, "h".repeat(64))
                        .setMachineId("m".repeat(128))
                        .putLabels("example.com/gpu-class", "a100 80GB")
                        .putLabels("k", ""));
        assertEquals("a100 80GB", ok.getNode().getLabelsOrThrow("example.com/gpu-class"));
    }

    @Test
    void namesLabelsAndGpuModelsFollowAuthServicesRules() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "names");
        String plain = "; choose a plain name with `autolab serve --name NAME`";
        refusedWith(
                alice.token(),
                project,
                r -> r.setHostname("h".repeat(65)),
                "the field \"hostname\" is longer than 64 characters; choose a shorter name with"
                        + " `autolab serve --name NAME`");
        refusedWith(
                alice.token(),
                project,
                r -> r.setHostname("gpu\u202Excob"),
                "the field \"hostname\" (\"gpu\\u202excob\") may hold only letters, digits, punctuation and inner"
                        + " spaces"
                        + plain);
        refusedWith(
                alice.token(),
                project,
                r -> r.setHostname(" box"),
                "the field \"hostname\" (\" box\") may hold only letters, digits, punctuation and inner spaces"
                        + plain);
        refusedWith(
                alice.token(),
                project,
                r -> r.setHostname("box "),
                "the field \"hostname\" (\"box \") may hold only letters, digits, punctuation and inner spaces"
                        + plain);
        refusedWith(
                alice.token(),
                project,
                r -> r.putLabels("zone", "eu\u202Etsew"),
                "the value of the field \"labels[zone]\" must be at most 256 characters without control or"
                        + " formatting characters");
        refusedWith(
                alice.token(),
                project,
                r -> r.setResources(
                        Resources.newBuilder().addGpus(Gpu.newBuilder().setModel("H100\u200B"))),
                "the field \"resources.gpus[0].model\" must be at most 256 characters without control or"
                        + " formatting characters");
        assertEquals(0, count(project));

        assertEquals(
                "h".repeat(64),
                register(alice.token(), registration(project, "h".repeat(64)))
                        .getNode()
                        .getHostname());
        assertEquals(
                "gpu box (rack 2)",
                register(alice.token(), registration(project, "gpu box (rack 2)"))
                        .getNode()
                        .getHostname());
    }

    private static void refusedWith(
            String token, String project, Consumer<RegisterNodeRequest.Builder> change, String message) {
        RegisterNodeRequest.Builder request = registration(project, "box");
        change.accept(request);
        Status status = Api.refusal(() -> register(token, request));
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
        assertEquals(message, status.getDescription());
    }

    private static void refused(
            String token, String project, Consumer<RegisterNodeRequest.Builder> change, String field) {
        RegisterNodeRequest.Builder request = registration(project, "box");
        change.accept(request);
        Status status = Api.refusal(() -> register(token, request));
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
        assertTrue(status.getDescription().contains(field), field + " named in: " + status.getDescription());
    }

    @Test
    void theProjectNodeCapIsResourceExhausted() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "farm");
        for (int i = 0; i < FakeAuthResource.MAX_PER_PROJECT; i++) {
            register(alice.token(), registration(project, "box-" + i));
        }
        Status full = Api.refusal(() -> register(alice.token(), registration(project, "one-too-many")));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getCode());
        assertTrue(full.getDescription().contains("autolab nodes rm"), full.getDescription());
        assertEquals(FakeAuthResource.MAX_PER_PROJECT, count(project));

        // A machine already registered may register again at the cap.
        RegisterNodeRequest.Builder again = registration(project, "box-0");
        String machine = Db.rows("SELECT machine_id FROM nodes WHERE project = ? AND hostname = 'box-0'", project)
                .get(0)
                .get(0);
        register(alice.token(), again.setMachineId(machine));
    }

    @Test
    void registeringTheSameMachineAgainKeepsTheNodeAndReplacesTheCredential() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "nanochat");
        RegisterNodeRequest.Builder request = registration(project, "gpu-box");

        RegisterNodeResponse first = register(alice.token(), request);
        RegisterNodeResponse second = register(alice.token(), request.setHostname("gpu-box-renamed"));

        assertEquals(first.getNode().getId(), second.getNode().getId(), "the same node");
        assertNotEquals(first.getNodeCredential(), second.getNodeCredential(), "a fresh credential");
        assertNull(auth.principalOf(first.getNodeCredential()), "the old credential is revoked");
        assertEquals(1, auth.liveCredentials(first.getNode().getId()));
        assertEquals(
                List.of(List.of("gpu-box-renamed")),
                Db.rows("SELECT hostname FROM nodes WHERE project = ?", project),
                "one row, updated");
    }

    @Test
    void concurrentRegistrationsOfOneMachineMakeOneNode() throws Exception {
        var alice = auth.user("alice");
        String project = auth.project(alice, "race");
        RegisterNodeRequest request = registration(project, "racer").build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<RegisterNodeResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<RegisterNodeResponse> call =
                        () -> Api.agent(alice.token()).registerNode(request);
                calls.add(pool.submit(call));
            }
            List<String> ids = new ArrayList<>();
            for (Future<RegisterNodeResponse> call : calls) {
                ids.add(call.get().getNode().getId());
            }
            assertEquals(1, ids.stream().distinct().count(), "every registration found the same node: " + ids);
            assertEquals(1, count(project));
            assertEquals(1, auth.liveCredentials(ids.get(0)), "only the last credential works");
        } finally {
            pool.shutdownNow();
        }
    }

    private static long count(String project) {
        return Long.parseLong(Db.rows("SELECT count(*) FROM nodes WHERE project = ?", project)
                .get(0)
                .get(0));
    }

    @Test
    void anotherMembersMachineIsNotTakenOverByAResearcherButMayBeByAnAdmin() {
        var alice = auth.user("alice");
        var bob = auth.user("bob");
        var carol = auth.user("carol");
        String project = auth.project(alice, "shared");
        auth.grant(bob, project, Role.ROLE_RESEARCHER);
        auth.grant(carol, project, Role.ROLE_ADMIN);
        RegisterNodeRequest.Builder request = registration(project, "shared-box");
        RegisterNodeResponse alices = register(alice.token(), request);
        String id = alices.getNode().getId();

        Status refused = Api.refusal(() -> register(bob.token(), request.setHostname("bobs-now")));
        assertEquals(Status.Code.ALREADY_EXISTS, refused.getCode());
        assertEquals(
                "this machine is already registered on " + project + " as node " + id + " (shared-box) by "
                        + alice.handle() + "; ask an admin of the project to remove it with `autolab nodes rm " + id
                        + " --project " + project + "`, then register again",
                refused.getDescription());
        assertNotNull(auth.principalOf(alices.getNodeCredential()), "the running node keeps its credential");
        assertEquals(
                List.of(List.of("shared-box", alice.handle())),
                Db.rows("SELECT hostname, registered_by FROM nodes WHERE id = ?::uuid", id),
                "the row is untouched");

        // The same user registers again as before; an admin may take the machine over.
        assertEquals(
                id,
                register(alice.token(), request.setHostname("shared-box"))
                        .getNode()
                        .getId());
        RegisterNodeResponse carols = register(carol.token(), request.setHostname("carols-now"));
        assertEquals(id, carols.getNode().getId());
        assertEquals(carol.handle(), carols.getNode().getRegisteredBy());
    }

    @Test
    void aNonMemberOfAFullProjectGetsNotFoundNotTheNodeCount() {
        var alice = auth.user("alice");
        var mallory = auth.user("mallory");
        String project = auth.project(alice, "full");
        for (int i = 0; i < FakeAuthResource.MAX_PER_PROJECT; i++) {
            register(alice.token(), registration(project, "box-" + i));
        }

        Status refused = Api.refusal(() -> register(mallory.token(), registration(project, "box")));
        assertEquals(Status.Code.NOT_FOUND, refused.getCode());
        assertEquals("project " + project + " not found (or you are not a member)", refused.getDescription());
    }

    @Test
    void registrationsInFlightAreBounded() throws Exception {
        var alice = auth.user("alice");
        String project = auth.project(alice, "busy");
        Principal caller = Principal.fromProto(auth.principalOf(alice.token()));
        NodeService.Registration stuck = new NodeService.Registration(
                project, "stuck-machine", "stuck", Map.of(), Resources.getDefaultInstance());
        NodeService.Registration probe = new NodeService.Registration(
                project, "probe-machine", "probe", Map.of(), Resources.getDefaultInstance());
        // Holding the machine's lock from outside keeps its registrations in flight. They are started on
        // the service itself: each takes its place in the bound as it is subscribed to.
        List<CompletableFuture<NodeService.Registered>> inFlight = new ArrayList<>();
        try (Connection holder = Db.connect()) {
            try (PreparedStatement lock =
                    holder.prepareStatement("SELECT pg_advisory_lock(hashtext(?), hashtext(?))")) {
                lock.setString(1, project);
                lock.setString(2, "stuck-machine");
                lock.execute();
            }
            for (int i = 0; i < 16; i++) {
                inFlight.add(service.register(caller, alice.token(), stuck).subscribeAsCompletionStage());
            }

            Throwable refused = assertThrows(
                    Throwable.class,
                    () -> service.register(caller, alice.token(), probe).await().atMost(Duration.ofSeconds(15)));
            Status status = StatusMapper.toStatus(refused).getStatus();
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
            assertEquals("too many registrations at once; try again in a few seconds", status.getDescription());

            try (PreparedStatement unlock =
                    holder.prepareStatement("SELECT pg_advisory_unlock(hashtext(?), hashtext(?))")) {
                unlock.setString(1, project);
                unlock.setString(2, "stuck-machine");
                unlock.execute();
            }
            for (CompletableFuture<NodeService.Registered> call : inFlight) {
                assertEquals("stuck", call.get(30, TimeUnit.SECONDS).node().hostname(), "within the bound: through");
            }
        }
        // Each registration gave its place back.
        assertEquals(
                "probe",
                service.register(caller, alice.token(), probe)
                        .await()
                        .atMost(Duration.ofSeconds(15))
                        .node()
                        .hostname());
    }

    @Test
    void aCredentialMintedForAWriteThatFailedIsRevoked() {
        var alice = auth.user("alice");
        String project = auth.project(alice, "doomed");
        RegisterNodeRequest.Builder request = registration(project, "fine");
        String id = register(alice.token(), request).getNode().getId();
        String doomed = "doomed-" + UUID.randomUUID().toString().substring(0, 8);
        Db.update("CREATE OR REPLACE FUNCTION refuse_doomed() RETURNS trigger AS $$ BEGIN"
                + " RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql");
        Db.update("CREATE TRIGGER refuse_doomed BEFORE UPDATE ON nodes FOR EACH ROW" + " WHEN (NEW.hostname = '"
                + doomed + "') EXECUTE FUNCTION refuse_doomed()");
        try {
            int mintsBefore = auth.mints();
            Api.refusal(() -> register(alice.token(), request.setHostname(doomed)));
            assertEquals(mintsBefore + 1, auth.mints(), "the credential was minted before the write failed");
            assertEquals(0, auth.liveCredentials(id), "and revoked when it failed");
        } finally {
            Db.update("DROP TRIGGER refuse_doomed ON nodes");
        }
    }
}
