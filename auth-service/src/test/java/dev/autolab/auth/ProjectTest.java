package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.CreateProjectRequest;
import dev.autolab.proto.auth.v1.DeleteProjectRequest;
import dev.autolab.proto.auth.v1.GetProjectRequest;
import dev.autolab.proto.auth.v1.ListMembersRequest;
import dev.autolab.proto.auth.v1.ListProjectsRequest;
import dev.autolab.proto.auth.v1.Member;
import dev.autolab.proto.auth.v1.Project;
import dev.autolab.proto.auth.v1.RemoveMemberRequest;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.auth.v1.SetMemberRequest;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
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
class ProjectTest {
    private Api.Account alice;
    private Api.Account bob;
    private String project;

    @BeforeEach
    void aliceOwnsAProject() {
        alice = Api.signUp("alice");
        bob = Api.signUp("bob");
        project = Api.projects(alice.token())
                .createProject(
                        CreateProjectRequest.newBuilder().setName("nanochat").build())
                .getName();
    }

    private Member set(Api.Account as, String handle, Role role) {
        return Api.projects(as.token())
                .setMember(SetMemberRequest.newBuilder()
                        .setProject(project)
                        .setHandle(handle)
                        .setRole(role)
                        .build());
    }

    private Status setRefusal(Api.Account as, String handle, Role role) {
        return Api.refusal(() -> set(as, handle, role));
    }

    private void remove(Api.Account as, String handle) {
        Api.projects(as.token())
                .removeMember(RemoveMemberRequest.newBuilder()
                        .setProject(project)
                        .setHandle(handle)
                        .build());
    }

    private List<Member> members(Api.Account as) {
        return Api.projects(as.token())
                .listMembers(ListMembersRequest.newBuilder().setProject(project).build())
                .getMembersList();
    }

    @Test
    void theCreatorOwnsTheProject() {
        assertEquals(alice.handle() + "/nanochat", project);
        Project p = Api.projects(alice.token())
                .getProject(GetProjectRequest.newBuilder().setProject(project).build());
        assertEquals(Role.ROLE_OWNER, p.getRole());
        assertEquals(alice.handle(), p.getOwner());
        assertEquals(
                List.of(alice.handle()),
                members(alice).stream().map(Member::getHandle).toList());
    }

    @Test
    void duplicateAndBadNamesAreRefused() {
        Status dup = Api.refusal(() -> Api.projects(alice.token())
                .createProject(
                        CreateProjectRequest.newBuilder().setName("nanochat").build()));
        assertEquals(Status.Code.ALREADY_EXISTS, dup.getCode());
        for (String bad : List.of("", "Has Caps", "-dash", "x".repeat(65), "a/b/c")) {
            assertEquals(
                    Status.Code.INVALID_ARGUMENT,
                    Api.refusal(() -> Api.projects(alice.token())
                                    .createProject(CreateProjectRequest.newBuilder()
                                            .setName(bad)
                                            .build()))
                            .getCode(),
                    bad);
        }
        Status foreign = Api.refusal(() -> Api.projects(bob.token())
                .createProject(CreateProjectRequest.newBuilder()
                        .setName(alice.handle() + "/stolen")
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, foreign.getCode());
        assertTrue(foreign.getDescription().contains("your own handle"), foreign.getDescription());
    }

    @Test
    void bobCannotSeeAlicesProject() {
        Status s = Api.refusal(() -> Api.projects(bob.token())
                .getProject(GetProjectRequest.newBuilder().setProject(project).build()));
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
        assertEquals(Status.Code.NOT_FOUND, Api.refusal(() -> members(bob)).getCode());
        assertTrue(
                Api.projects(bob.token())
                        .listProjects(ListProjectsRequest.getDefaultInstance())
                        .getProjectsList()
                        .stream()
                        .noneMatch(p -> p.getName().equals(project)));
        // And a missing project answers the same as a hidden one.
        Status missing = Api.refusal(() -> Api.projects(bob.token())
                .getProject(GetProjectRequest.newBuilder()
                        .setProject(alice.handle() + "/nothing")
                        .build()));
        assertEquals(s.getDescription().replace("nanochat", "nothing"), missing.getDescription());
    }

    @Test
    void membersSeeTheProjectWithTheirRole() {
        set(alice, bob.handle(), Role.ROLE_VIEWER);
        assertEquals(
                Role.ROLE_VIEWER,
                Api.projects(bob.token())
                        .listProjects(ListProjectsRequest.getDefaultInstance())
                        .getProjectsList()
                        .stream()
                        .filter(p -> p.getName().equals(project))
                        .findFirst()
                        .orElseThrow()
                        .getRole());
        assertEquals(2, members(bob).size());
        assertEquals(
                Role.ROLE_VIEWER,
                Api.users(bob.token())
                        .whoAmI(WhoAmIRequest.newBuilder().setProject(project).build())
                        .getRole());
    }

    /** The dashboard's project switcher lists with the browser session; changing projects still needs a PAT. */
    @Test
    void aBrowserSessionListsProjectsButCannotCreateOne() {
        String session = Api.sessionOf(alice.handle());
        assertEquals(
                List.of(project),
                Api.projects(session).listProjects(ListProjectsRequest.getDefaultInstance()).getProjectsList().stream()
                        .map(Project::getName)
                        .toList());
        Status create = Api.refusal(() -> Api.projects(session)
                .createProject(CreateProjectRequest.newBuilder()
                        .setName("from-browser")
                        .build()));
        assertEquals(Status.Code.PERMISSION_DENIED, create.getCode());
    }

    @Test
    void aViewerCannotAddMembers() {
        Api.Account carol = Api.signUp("carol");
        set(alice, bob.handle(), Role.ROLE_VIEWER);
        Status s = setRefusal(bob, carol.handle(), Role.ROLE_VIEWER);
        assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
        assertTrue(s.getDescription().contains("admin role"), s.getDescription());
    }

    @Test
    void anAdminManagesResearchersButNotTheOwnerOrOtherAdmins() {
        Api.Account carol = Api.signUp("carol");
        Api.Account dan = Api.signUp("dan");
        set(alice, bob.handle(), Role.ROLE_ADMIN);
        assertEquals(
                Role.ROLE_RESEARCHER,
                set(bob, carol.handle(), Role.ROLE_RESEARCHER).getRole());
        Status demoteOwner = setRefusal(bob, alice.handle(), Role.ROLE_VIEWER);
        assertEquals(Status.Code.PERMISSION_DENIED, demoteOwner.getCode());
        assertTrue(demoteOwner.getDescription().contains("owner"), demoteOwner.getDescription());
        assertEquals(
                Status.Code.PERMISSION_DENIED,
                setRefusal(bob, dan.handle(), Role.ROLE_ADMIN).getCode());
        set(alice, dan.handle(), Role.ROLE_ADMIN);
        assertEquals(
                Status.Code.PERMISSION_DENIED,
                setRefusal(bob, dan.handle(), Role.ROLE_VIEWER).getCode());
        assertEquals(
                Status.Code.PERMISSION_DENIED,
                Api.refusal(() -> remove(bob, dan.handle())).getCode());
        remove(bob, carol.handle());
        assertTrue(members(alice).stream().noneMatch(m -> m.getHandle().equals(carol.handle())));
    }

    @Test
    void ownershipCannotBeGrantedAndTheOwnerCannotBeRemoved() {
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                setRefusal(alice, bob.handle(), Role.ROLE_OWNER).getCode());
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                setRefusal(alice, bob.handle(), Role.ROLE_UNSPECIFIED).getCode());
        assertEquals(
                Status.Code.PERMISSION_DENIED,
                setRefusal(alice, alice.handle(), Role.ROLE_ADMIN).getCode());
        assertEquals(
                Status.Code.PERMISSION_DENIED,
                Api.refusal(() -> remove(alice, alice.handle())).getCode());
    }

    @Test
    void unknownUsersAndNonMembersAreNotFound() {
        assertEquals(
                Status.Code.NOT_FOUND,
                setRefusal(alice, "nobody-at-all", Role.ROLE_VIEWER).getCode());
        assertEquals(
                Status.Code.NOT_FOUND,
                Api.refusal(() -> remove(alice, bob.handle())).getCode());
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                setRefusal(alice, "Bad Handle", Role.ROLE_VIEWER).getCode());
    }

    @Test
    void aMemberMayLeave() {
        set(alice, bob.handle(), Role.ROLE_RESEARCHER);
        remove(bob, bob.handle());
        assertEquals(Status.Code.NOT_FOUND, Api.refusal(() -> members(bob)).getCode());
    }

    @Test
    void onlyTheOwnerDeletes() {
        set(alice, bob.handle(), Role.ROLE_ADMIN);
        Status s = Api.refusal(() -> Api.projects(bob.token())
                .deleteProject(
                        DeleteProjectRequest.newBuilder().setProject(project).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
        assertTrue(s.getDescription().contains("only the owner"), s.getDescription());
        Api.projects(alice.token())
                .deleteProject(
                        DeleteProjectRequest.newBuilder().setProject(project).build());
        assertEquals(Status.Code.NOT_FOUND, Api.refusal(() -> members(alice)).getCode());
    }
}
