package dev.autolab.nodes.node;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.autolab.proto.nodes.v1.Resources;

/** A registered node as stored; its status is derived from {@code leaseExpiresAt} (online iff after now). */
public record Node(
        UUID id,
        String project,
        String machineId,
        String hostname,
        Map<String, String> labels,
        Resources resources,
        String registeredBy,
        UUID registeredByUser,
        Instant registeredAt,
        Instant lastSeenAt,
        Instant leaseExpiresAt) {

    public boolean isOnline(Instant now) {
        return leaseExpiresAt != null && leaseExpiresAt.isAfter(now);
    }

    /** The same node with a lease (and last-seen time) known to be newer than the stored one. */
    public Node withLease(Instant lastSeen, Instant lease) {
        return new Node(
                id,
                project,
                machineId,
                hostname,
                labels,
                resources,
                registeredBy,
                registeredByUser,
                registeredAt,
                later(lastSeenAt, lastSeen),
                later(leaseExpiresAt, lease));
    }

    /** The same node with the lease it held when its stream ended (which may be shorter than the stored one). */
    public Node withEndedLease(Instant lastSeen, Instant lease) {
        return new Node(
                id,
                project,
                machineId,
                hostname,
                labels,
                resources,
                registeredBy,
                registeredByUser,
                registeredAt,
                later(lastSeenAt, lastSeen),
                lease);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
