package dev.autolab.nodes.node;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

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

    /** What the node sends to register. */
    public record Registration(
            String project, String machineId, String hostname, Map<String, String> labels, Resources resources) {}

    /** A registered node and its new credential (shown once). */
    public record Registered(Node node, String credential) {}

    public Uni<Registered> register(Principal caller, String pat, Registration request) {
        return Uni.createFrom().deferred(() -> {
            String project = NodeFields.project(request.project());
            String machineId = NodeFields.machineId(request.machineId());
            String hostname = NodeFields.hostname(request.hostname());
            Map<String, String> labels = NodeFields.labels(request.labels());
            Resources resources = NodeFields.resources(request.resources());
            // One transaction holds the machine's lock across the mint, so concurrent registrations of
            // one machine find one node: the later one re-registers it (and revokes the earlier credential).
            return pool.withTransaction(db -> nodes.lockMachine(db, project, machineId)
                            .chain(() -> nodes.findByMachine(db, project, machineId))
                            .chain(existing -> {
                                UUID id = existing != null ? existing.id() : UUID.randomUUID();
                                Uni<Void> room = existing != null
                                        ? Uni.createFrom().voidItem()
                                        : nodes.count(db, project)
                                                .invoke(n -> requireRoom(project, n))
                                                .replaceWithVoid();
                                return room.chain(() -> auth.mint(pat, project, id, hostname))
                                        .chain(minted -> {
                                            Principal registrant = Principal.fromProto(minted.getPrincipal());
                                            Node node = new Node(
                                                    id,
                                                    project,
                                                    machineId,
                                                    hostname,
                                                    labels,
                                                    resources,
                                                    registrant.handle().isEmpty()
                                                            ? caller.handle()
                                                            : registrant.handle(),
                                                    UUID.fromString(
                                                            registrant.userId().isEmpty()
                                                                    ? caller.userId()
                                                                    : registrant.userId()),
                                                    clock.instant(),
                                                    existing == null ? null : existing.lastSeenAt(),
                                                    existing == null ? null : existing.leaseExpiresAt());
                                            Uni<Void> write = existing != null
                                                    ? nodes.updateRegistration(db, node)
                                                    : insertWithinCap(db, node);
                                            return write.replaceWith(new Registered(node, minted.getNodeCredential()));
                                        });
                            }))
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

    /** A new node, counted again under the project's lock: concurrent registrations cannot pass the cap together. */
    private Uni<Void> insertWithinCap(io.vertx.mutiny.sqlclient.SqlConnection db, Node node) {
        return nodes.lockProject(db, node.project())
                .chain(() -> nodes.count(db, node.project()))
                .chain(n -> {
                    if (n >= config.maxPerProject()) {
                        // The credential just minted is bound to a node that will not exist: revoke it.
                        return auth.revokeNode(node.id(), AuthCalls.NODE_REMOVED)
                                .onFailure()
                                .recoverWithNull()
                                .invoke(() -> requireRoom(node.project(), n));
                    }
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
