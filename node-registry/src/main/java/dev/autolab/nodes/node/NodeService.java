package dev.autolab.nodes.node;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.Errors;
import dev.autolab.common.text.Text;
import dev.autolab.nodes.config.NodesConfig;
import dev.autolab.nodes.lease.ConnectedNodes;
import dev.autolab.nodes.lease.DisconnectReason;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.nodes.v1.Resources;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A project's nodes: registration (the PAT's role checked and the node's credential minted by
 * auth-service in one call), listing (viewer+) and removal (admin+). Who may do what is auth-service's
 * answer; its refusals pass through.
 */
@ApplicationScoped
public class NodeService {
    private static final Logger LOG = Logger.getLogger(NodeService.class);

    @Inject
    Pool pool;

    @Inject
    NodeRepository nodes;

    @Inject
    AuthCalls auth;

    @Inject
    ConnectedNodes connected;

    @Inject
    NodesConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    /** Registrations in flight on this replica: each holds a database connection and calls auth-service. */
    private Semaphore registrations;

    @PostConstruct
    void init() {
        registrations = new Semaphore(config.maxConcurrentRegistrations());
    }

    /** What the node sends to register. */
    public record Registration(
            String project, String machineId, String hostname, Map<String, String> labels, Resources resources) {}

    /** A registered node and its new credential (shown once). */
    public record Registered(Node node, String credential) {}

    /**
     * Registers the caller's machine. Order matters: auth-service says who the caller is on the project
     * first, so a non-member never holds a database connection or a lock here, nor learns anything of
     * the project (not even how many nodes it has); then one transaction finds the machine's node, mints
     * its credential and writes it. A credential minted for a write that then failed is revoked.
     */
    public Uni<Registered> register(Principal caller, String pat, Registration request) {
        return Uni.createFrom().deferred(() -> {
            String project = NodeFields.project(request.project());
            String machineId = NodeFields.machineId(request.machineId());
            String hostname = NodeFields.hostname(request.hostname());
            Map<String, String> labels = NodeFields.labels(request.labels());
            Resources resources = NodeFields.resources(request.resources());
            if (!registrations.tryAcquire()) {
                throw Errors.resourceExhausted("too many registrations at once; try again in a few seconds");
            }
            AtomicReference<UUID> minted = new AtomicReference<>();
            return auth.authorize(pat, project, Role.ROLE_RESEARCHER)
                    .chain(authorized -> pool.withTransaction(db -> registerIn(
                            db,
                            caller,
                            authorized.getRole(),
                            pat,
                            minted,
                            new Node(
                                    null, project, machineId, hostname, labels, resources, null, null, null, null,
                                    null))))
                    .onFailure()
                    .call(failure -> minted.get() == null ? Uni.createFrom().voidItem() : revokeUnused(minted.get()))
                    .eventually(() -> registrations.release())
                    .invoke(r -> {
                        metrics.counter("autolab.nodes.registrations").increment();
                        LOG.infof(
                                "node %s (%s) registered on %s by %s",
                                r.node().id(),
                                Text.echo(r.node().hostname()),
                                project,
                                r.node().registeredBy());
                    });
        });
    }

    /**
     * Within the registration's transaction: {@code wanted} is what the node reports (no id yet). The
     * machine's lock is held across the mint, so concurrent registrations of one machine find one node:
     * the later one re-registers it (and revokes the earlier credential).
     */
    private Uni<Registered> registerIn(
            SqlConnection db, Principal caller, Role role, String pat, AtomicReference<UUID> minted, Node wanted) {
        String project = wanted.project();
        return nodes.lockMachine(db, project, wanted.machineId())
                .chain(() -> nodes.findByMachine(db, project, wanted.machineId()))
                .chain(existing -> {
                    if (existing != null) {
                        requireMayTakeOver(caller, role, existing);
                    }
                    UUID id = existing != null ? existing.id() : UUID.randomUUID();
                    Uni<Void> room = existing != null
                            ? Uni.createFrom().voidItem()
                            : nodes.count(db, project)
                                    .invoke(n -> requireRoom(project, n))
                                    .replaceWithVoid();
                    return room.chain(() -> auth.mint(pat, project, id, wanted.hostname()))
                            .chain(response -> {
                                minted.set(id);
                                Principal registrant = Principal.fromProto(response.getPrincipal());
                                Node node = new Node(
                                        id,
                                        project,
                                        wanted.machineId(),
                                        wanted.hostname(),
                                        wanted.labels(),
                                        wanted.resources(),
                                        registrant.handle().isEmpty() ? caller.handle() : registrant.handle(),
                                        UUID.fromString(
                                                registrant.userId().isEmpty() ? caller.userId() : registrant.userId()),
                                        clock.instant(),
                                        existing == null ? null : existing.lastSeenAt(),
                                        existing == null ? null : existing.leaseExpiresAt());
                                Uni<Void> write = existing != null
                                        ? nodes.updateRegistration(db, node)
                                        : insertWithinCap(db, node);
                                return write.replaceWith(new Registered(node, response.getNodeCredential()));
                            });
                });
    }

    /**
     * Registering a machine again re-mints its node's credential and disconnects the running node, so
     * a machine registered by another member may be taken over only by an admin: machine ids are
     * easy to guess on shared machines.
     */
    private static void requireMayTakeOver(Principal caller, Role role, Node existing) {
        boolean sameUser = existing.registeredByUser() != null
                && existing.registeredByUser().toString().equals(caller.userId());
        if (!sameUser && role.getNumber() < Role.ROLE_ADMIN.getNumber()) {
            throw Errors.alreadyExists("this machine is already registered on " + existing.project() + " as node "
                    + existing.id() + " (" + Text.echo(existing.hostname()) + ") by " + existing.registeredBy()
                    + "; ask an admin of the project to remove it with `autolab nodes rm " + existing.id()
                    + " --project " + existing.project() + "`, then register again");
        }
    }

    /** The registration failed after its credential was minted: that credential must not keep working. */
    private Uni<Void> revokeUnused(UUID nodeId) {
        return auth.revokeNode(nodeId, AuthCalls.NODE_REMOVED).onFailure().recoverWithUni(failure -> {
            LOG.errorf(
                    "node %s: a registration failed after its credential was minted, and revoking that credential"
                            + " failed too (%s); remove the node with `autolab nodes rm` or revoke it in auth-service",
                    nodeId, failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** A new node, counted again under the project's lock: concurrent registrations cannot pass the cap together. */
    private Uni<Void> insertWithinCap(SqlConnection db, Node node) {
        return nodes.lockProject(db, node.project())
                .chain(() -> nodes.count(db, node.project()))
                .chain(n -> {
                    // Over the cap, the credential just minted is revoked by register's failure handling.
                    requireRoom(node.project(), n);
                    return nodes.insert(db, node);
                });
    }

    private void requireRoom(String project, long count) {
        if (count >= config.maxPerProject()) {
            throw Errors.resourceExhausted(project + " already has " + count + " nodes, the most a project may have ("
                    + config.maxPerProject()
                    + "); remove nodes you no longer use with `autolab nodes rm NODE --project "
                    + project + "`");
        }
    }

    /** The project's nodes with their live status (viewer+). */
    public Uni<List<Node>> list(String bearerToken, String rawProject) {
        return Uni.createFrom().deferred(() -> {
            String project = NodeFields.project(rawProject);
            return auth.authorize(bearerToken, project, Role.ROLE_VIEWER)
                    .chain(() -> nodes.listByProject(pool, project))
                    .map(list -> list.stream().map(connected::withLiveLease).toList());
        });
    }

    /**
     * Removes a node (admin+): its credentials revoked first (so it cannot come back), then its row,
     * then a connected stream told {@code node_removed}.
     */
    public Uni<Node> remove(String bearerToken, String rawProject, String ref) {
        return Uni.createFrom().deferred(() -> {
            String project = NodeFields.project(rawProject);
            if (ref == null || ref.isBlank()) {
                throw Errors.invalidArgument("the field \"node\" is empty: name the node to remove by its name or id "
                        + "(see `autolab nodes --project " + project + "`)");
            }
            return auth.authorize(bearerToken, project, Role.ROLE_ADMIN)
                    .chain(() -> nodes.findByRef(pool, project, ref))
                    .map(matches -> pick(project, ref, matches))
                    .call(node -> auth.revokeNode(node.id(), AuthCalls.NODE_REMOVED))
                    .call(node -> nodes.delete(pool, node.id()))
                    .invoke(node -> {
                        connected.disconnect(node.id(), DisconnectReason.NODE_REMOVED);
                        LOG.infof("node %s (%s) removed from %s", node.id(), Text.echo(node.hostname()), project);
                    });
        });
    }

    private static Node pick(String project, String ref, List<Node> matches) {
        if (matches.isEmpty()) {
            throw Errors.notFound("no node \"" + Text.echo(ref) + "\" in " + project
                    + "; list the project's nodes with `autolab nodes --project " + project + "`");
        }
        // An exact id or an exact name wins over prefixes.
        List<Node> exact = matches.stream()
                .filter(n -> n.id().toString().equalsIgnoreCase(ref))
                .toList();
        if (exact.size() == 1) {
            return exact.get(0);
        }
        if (matches.size() > 1) {
            throw Errors.invalidArgument("\"" + Text.echo(ref) + "\" matches " + matches.size() + " nodes of " + project
                    + ": "
                    + matches.stream()
                            .map(n -> n.id().toString().substring(0, 8) + " (" + Text.echo(n.hostname()) + ")")
                            .collect(Collectors.joining(", "))
                    + "; name one by a longer id prefix");
        }
        return matches.get(0);
    }
}
