package dev.autolab.nodes.api;

import java.time.Instant;

import com.google.protobuf.Timestamp;

import dev.autolab.nodes.node.Node;
import dev.autolab.proto.nodes.v1.NodeStatus;

/** Domain records as the API shows them. */
final class Protos {
    private Protos() {}

    static dev.autolab.proto.nodes.v1.Node node(Node n, Instant now) {
        var b = dev.autolab.proto.nodes.v1.Node.newBuilder()
                .setId(n.id().toString())
                .setProject(n.project())
                .setHostname(n.hostname())
                .putAllLabels(n.labels())
                .setResources(n.resources())
                .setStatus(n.isOnline(now) ? NodeStatus.NODE_STATUS_ONLINE : NodeStatus.NODE_STATUS_OFFLINE)
                .setRegisteredBy(n.registeredBy())
                .setRegisteredAt(timestamp(n.registeredAt()));
        if (n.lastSeenAt() != null) {
            b.setLastSeenAt(timestamp(n.lastSeenAt()));
        }
        return b.build();
    }

    static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder()
                .setSeconds(i.getEpochSecond())
                .setNanos(i.getNano())
                .build();
    }
}
