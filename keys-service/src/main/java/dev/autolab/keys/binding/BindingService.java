package dev.autolab.keys.binding;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.Errors;
import dev.autolab.keys.key.KeyRefs;
import dev.autolab.keys.key.KeyRepository;
import dev.autolab.keys.key.Names;
import dev.autolab.proto.auth.v1.AuthorizeResponse;
import dev.autolab.proto.auth.v1.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Which key and model a project uses. Binding needs researcher+ on the project (asked of auth-service)
 * and ownership of the key; reading the binding needs any membership.
 */
@ApplicationScoped
public class BindingService {
    @Inject
    Pool pool;

    @Inject
    BindingRepository bindings;

    @Inject
    KeyRepository keys;

    @Inject
    ProjectAccess access;

    @Inject
    PlatformKey platform;

    @Inject
    Clock clock;

    public Uni<ProjectLlmView> set(Principal caller, String bearerToken, String project, String keyRef, String model) {
        return Uni.createFrom().deferred(() -> {
            KeyRefs.requireGiven(keyRef, "use (or `platform`)");
            UUID user = UUID.fromString(caller.userId());
            String ref = keyRef.trim();
            return access.require(bearerToken, project, Role.ROLE_RESEARCHER).chain(granted -> {
                String name = canonical(granted, project);
                if (ref.equals(Names.PLATFORM)) {
                    String pinned = Models.requireValid(model, platform.provider(), "the platform key");
                    Uni<Void> write = pinned.isEmpty()
                            ? bindings.delete(pool, name)
                            : bindings.upsert(pool, name, null, pinned, user, clock.instant());
                    return write.replaceWith(() -> new ProjectLlmView(
                            name,
                            null,
                            pinned.isEmpty() ? platform.model() : pinned,
                            platform.provider().id()));
                }
                return pool.withTransaction(db -> keys.findByRef(db, user, ref, true)
                        .map(matches -> KeyRefs.pick(ref, matches))
                        .chain(key -> {
                            String pinned = Models.requireValid(model, key.provider(), "key \"" + key.name() + "\"");
                            return bindings.upsert(db, name, key.id(), pinned, user, clock.instant())
                                    .chain(() -> keys.findById(db, key.id()))
                                    .map(updated -> new ProjectLlmView(
                                            name,
                                            updated,
                                            pinned,
                                            key.provider().id()));
                        }));
            });
        });
    }

    public Uni<ProjectLlmView> get(String bearerToken, String project) {
        return access.require(bearerToken, project, Role.ROLE_VIEWER)
                .chain(granted -> view(canonical(granted, project)));
    }

    /** The binding as it is now (used after a check that the caller may see it). */
    public Uni<ProjectLlmView> view(String project) {
        return bindings.find(pool, project).chain(binding -> {
            if (binding == null || binding.keyId() == null) {
                String model = binding == null || binding.model().isEmpty() ? platform.model() : binding.model();
                return Uni.createFrom()
                        .item(new ProjectLlmView(
                                project, null, model, platform.provider().id()));
            }
            return keys.findById(pool, binding.keyId())
                    .map(key -> new ProjectLlmView(
                            project, key, binding.model(), key.provider().id()));
        });
    }

    private static String canonical(AuthorizeResponse granted, String project) {
        if (project == null || project.isBlank()) {
            throw Errors.invalidArgument("name the project as OWNER/NAME");
        }
        return project.trim();
    }
}
