package dev.autolab.auth.project;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ProjectRepository {

    /** A project seen by one user: the project, its owner's handle and the user's role (null if none). */
    public record Access(Project project, String ownerHandle, Role role) {}

    public Uni<Project> find(Mutiny.Session session, ProjectName name) {
        return session.createSelectionQuery(
                        "select p from Project p, User o where o.id = p.ownerId"
                                + " and o.handle = :owner and p.name = :name",
                        Project.class)
                .setParameter("owner", name.owner())
                .setParameter("name", name.name())
                .getSingleResultOrNull();
    }

    public Uni<Membership> membership(Mutiny.Session session, UUID projectId, UUID userId) {
        Membership.Key key = new Membership.Key();
        key.projectId = projectId;
        key.userId = userId;
        return session.find(Membership.class, key);
    }

    /** The user's role on a project by name: null role when the project is missing or they are not a member. */
    public Uni<Role> roleOf(Mutiny.Session session, ProjectName name, UUID userId) {
        return session.createSelectionQuery(
                        "select m.role from Membership m, Project p, User o"
                                + " where m.projectId = p.id and o.id = p.ownerId and o.handle = :owner and p.name = :name"
                                + " and m.userId = :user",
                        Role.class)
                .setParameter("owner", name.owner())
                .setParameter("name", name.name())
                .setParameter("user", userId)
                .getSingleResultOrNull();
    }

    public Uni<List<Access>> listFor(Mutiny.Session session, UUID userId) {
        return session.createSelectionQuery(
                        "select p, o.handle, m.role from Membership m, Project p, User o"
                                + " where m.projectId = p.id and o.id = p.ownerId and m.userId = :user order by o.handle, p.name",
                        Object[].class)
                .setParameter("user", userId)
                .getResultList()
                .map(rows -> rows.stream()
                        .map(r -> new Access((Project) r[0], (String) r[1], (Role) r[2]))
                        .toList());
    }

    /** Members as {@code [Membership, handle, displayName]}, owner first, then by role and handle. */
    public Uni<List<Object[]>> members(Mutiny.Session session, UUID projectId) {
        return session.createSelectionQuery(
                        "select m, u.handle, u.displayName from Membership m, User u"
                                + " where m.userId = u.id and m.projectId = :project",
                        Object[].class)
                .setParameter("project", projectId)
                .getResultList();
    }
}
