package dev.autolab.auth.project;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.autolab.auth.token.NodeCascades;
import dev.autolab.auth.user.Handles;
import dev.autolab.auth.user.UserRepository;
import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;
import io.smallrye.mutiny.Uni;

/**
 * Projects, memberships and the rules of the four roles. A member who drops below researcher or
 * leaves, and every member of a deleted project, loses the node credentials registered on it, in
 * the same transaction ({@link NodeCascades}, reason {@code role_lost}).
 */
@ApplicationScoped
public class ProjectService {
    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    ProjectRepository projects;

    @Inject
    UserRepository users;

    @Inject
    Clock clock;

    @Inject
    NodeCascades nodes;

    public record ProjectView(Project project, String ownerHandle, Role callerRole) {
        public String fullName() {
            return ownerHandle + "/" + project.name;
        }
    }

    public record MemberView(String handle, String displayName, Role role, Instant addedAt) {}

    public Uni<ProjectView> create(Principal caller, String requested) {
        return Uni.createFrom().item(() -> shortName(caller, requested)).chain(name -> createChecked(caller, name));
    }

    private Uni<ProjectView> createChecked(Principal caller, String name) {
        UUID userId = UUID.fromString(caller.userId());
        ProjectName full = new ProjectName(caller.handle(), name);
        return sessions.withTransaction(session -> projects.find(session, full).chain(existing -> {
            if (existing != null) {
                throw Errors.alreadyExists("you already have a project named " + full);
            }
            Instant now = clock.instant();
            Project p = new Project();
            p.id = UUID.randomUUID();
            p.ownerId = userId;
            p.name = name;
            p.createdAt = now;
            Membership owner = new Membership();
            owner.projectId = p.id;
            owner.userId = userId;
            owner.role = Role.OWNER;
            owner.addedAt = now;
            return session.persist(p)
                    .chain(session::flush)
                    .chain(() -> session.persist(owner))
                    .chain(session::flush)
                    .replaceWith(new ProjectView(p, caller.handle(), Role.OWNER));
        }));
    }

    public Uni<List<ProjectView>> list(Principal caller) {
        return sessions.withSession(session -> projects.listFor(session, UUID.fromString(caller.userId())))
                .map(rows -> rows.stream()
                        .map(a -> new ProjectView(a.project(), a.ownerHandle(), a.role()))
                        .toList());
    }

    public Uni<ProjectView> get(Principal caller, String project) {
        return sessions.withSession(session -> member(session, caller, project));
    }

    public Uni<Void> delete(Principal caller, String project) {
        return sessions.withTransaction(session -> member(session, caller, project)
                .chain(view -> {
                    if (view.callerRole() != Role.OWNER) {
                        throw Errors.permissionDenied(
                                "only the owner (" + view.ownerHandle() + ") can delete " + view.fullName());
                    }
                    return session.createMutationQuery("delete from Project p where p.id = :id")
                            .setParameter("id", view.project().id)
                            .executeUpdate()
                            .chain(() -> nodes.projectDeleted(session, view.project().id, clock.instant()))
                            .replaceWithVoid();
                }));
    }

    public Uni<MemberView> setMember(Principal caller, String project, String handle, Role role) {
        return Uni.createFrom()
                .item(() -> {
                    if (role == Role.OWNER) {
                        throw Errors.invalidArgument(
                                "a project has exactly one owner; the owner role cannot be granted");
                    }
                    return Handles.requireValid(handle);
                })
                .chain(valid -> setValidMember(caller, project, handle, role));
    }

    private Uni<MemberView> setValidMember(Principal caller, String project, String handle, Role role) {
        return sessions.withTransaction(session -> member(session, caller, project)
                .chain(view -> {
                    requireManager(view);
                    if (role == Role.ADMIN && view.callerRole() != Role.OWNER) {
                        throw Errors.permissionDenied(
                                "only the owner of " + view.fullName() + " can make someone an admin");
                    }
                    return users.findByHandle(session, handle).chain(target -> {
                        if (target == null) {
                            throw Errors.notFound("there is no user named \"" + handle + "\"");
                        }
                        return projects.membership(session, view.project().id, target.id)
                                .chain(existing -> {
                                    if (existing != null) {
                                        checkMayChange(view, existing, handle);
                                        existing.role = role;
                                        MemberView changed =
                                                new MemberView(handle, target.displayName, role, existing.addedAt);
                                        if (role.atLeast(Role.RESEARCHER)) {
                                            return Uni.createFrom().item(changed);
                                        }
                                        // The membership's row first, then the node credentials' (see NodeCascades).
                                        return session.flush()
                                                .chain(() -> nodes.roleLost(
                                                        session, view.project().id, target.id, clock.instant()))
                                                .replaceWith(changed);
                                    }
                                    Membership m = new Membership();
                                    m.projectId = view.project().id;
                                    m.userId = target.id;
                                    m.role = role;
                                    m.addedAt = clock.instant();
                                    return session.persist(m)
                                            .replaceWith(new MemberView(handle, target.displayName, role, m.addedAt));
                                });
                    });
                }));
    }

    public Uni<Void> removeMember(Principal caller, String project, String handle) {
        return Uni.createFrom()
                .item(() -> Handles.requireValid(handle))
                .chain(valid -> sessions.withTransaction(session -> member(session, caller, project)
                        .chain(view -> users.findByHandle(session, handle)
                                .chain(target -> target == null
                                        ? Uni.createFrom().nullItem()
                                        : projects.membership(session, view.project().id, target.id))
                                .chain(existing -> {
                                    if (existing == null) {
                                        throw Errors.notFound(handle + " is not a member of " + view.fullName());
                                    }
                                    if (existing.role == Role.OWNER) {
                                        throw Errors.permissionDenied("the owner cannot be removed from "
                                                + view.fullName() + "; the owner can delete the project instead");
                                    }
                                    boolean self = existing.userId.toString().equals(caller.userId());
                                    if (!self) {
                                        requireManager(view);
                                        checkMayChange(view, existing, handle);
                                    }
                                    return session.remove(existing)
                                            .chain(session::flush)
                                            .chain(() -> nodes.roleLost(
                                                    session, view.project().id, existing.userId, clock.instant()))
                                            .replaceWithVoid();
                                }))));
    }

    public Uni<List<MemberView>> members(Principal caller, String project) {
        return sessions.withSession(session ->
                        member(session, caller, project).chain(view -> projects.members(session, view.project().id)))
                .map(rows -> rows.stream()
                        .map(r -> {
                            Membership m = (Membership) r[0];
                            return new MemberView((String) r[1], (String) r[2], m.role, m.addedAt);
                        })
                        .sorted(Comparator.comparing(MemberView::role)
                                .reversed()
                                .thenComparing(MemberView::handle))
                        .toList());
    }

    /** The user's role on the project, if at least {@code minimum}; NOT_FOUND / PERMISSION_DENIED otherwise. */
    /** A user's role on a project, or null when the user is not a member or there is no such project. */
    public Uni<Role> roleOf(String userId, String project) {
        return Uni.createFrom().item(() -> ProjectName.parse(project)).chain(name -> {
            UUID user;
            try {
                user = UUID.fromString(userId);
            } catch (IllegalArgumentException e) {
                throw Errors.invalidArgument("\"" + Handles.abbreviate(userId) + "\" is not a user id");
            }
            return sessions.withSession(session -> projects.find(session, name)
                    .chain(p -> p == null
                            ? Uni.createFrom().<Role>nullItem()
                            : projects.membership(session, p.id, user).map(m -> m == null ? null : m.role)));
        });
    }

    public Uni<Role> authorize(Principal caller, String project, Role minimum) {
        return sessions.withSession(session -> member(session, caller, project)).map(view -> {
            if (!view.callerRole().atLeast(minimum)) {
                throw Errors.permissionDenied(
                        "this needs the " + minimum.label() + " role or higher on " + view.fullName() + "; "
                                + caller.handle() + " is " + view.callerRole().label());
            }
            return view.callerRole();
        });
    }

    /** The project as seen by a member; NOT_FOUND when it does not exist or the caller is not a member. */
    private Uni<ProjectView> member(Mutiny.Session session, Principal caller, String project) {
        return Uni.createFrom()
                .item(() -> ProjectName.parse(project))
                .chain(name -> projects.find(session, name)
                        .chain(p -> p == null
                                ? Uni.createFrom().nullItem()
                                : projects.membership(session, p.id, UUID.fromString(caller.userId()))
                                        .map(m -> m == null ? null : new ProjectView(p, name.owner(), m.role)))
                        .onItem()
                        .ifNull()
                        .failWith(() -> notFound(name)));
    }

    /** What a project the caller cannot see is: the same whether it is missing or not theirs (no enumeration). */
    public static AutolabException notFound(ProjectName name) {
        return Errors.notFound("project " + name + " not found, or you are not a member of it");
    }

    private static void requireManager(ProjectView view) {
        if (!view.callerRole().atLeast(Role.ADMIN)) {
            throw Errors.permissionDenied(
                    "managing the members of " + view.fullName() + " needs the admin role or higher; you are "
                            + view.callerRole().label());
        }
    }

    private static void checkMayChange(ProjectView view, Membership existing, String handle) {
        if (existing.role == Role.OWNER) {
            throw Errors.permissionDenied("the owner's role on " + view.fullName() + " cannot be changed");
        }
        if (existing.role == Role.ADMIN && view.callerRole() != Role.OWNER) {
            throw Errors.permissionDenied(
                    "only the owner of " + view.fullName() + " can change or remove an admin (" + handle + ")");
        }
    }

    private static String shortName(Principal caller, String requested) {
        if (requested != null && requested.contains("/")) {
            ProjectName full = ProjectName.parse(requested);
            if (!full.owner().equals(caller.handle())) {
                throw Errors.invalidArgument(
                        "you can only create projects under your own handle: " + caller.handle() + "/" + full.name());
            }
            return full.name();
        }
        return ProjectName.requireValidName(requested);
    }
}
