package dev.autolab.nodes.api;

import java.time.Clock;

import jakarta.inject.Inject;

import com.google.protobuf.Empty;

import dev.autolab.common.auth.Caller;
import dev.autolab.nodes.node.NodeService;
import dev.autolab.proto.nodes.v1.ListNodesRequest;
import dev.autolab.proto.nodes.v1.ListNodesResponse;
import dev.autolab.proto.nodes.v1.MutinyNodeServiceGrpc;
import dev.autolab.proto.nodes.v1.RemoveNodeRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

@GrpcService
public class NodeGrpc extends MutinyNodeServiceGrpc.NodeServiceImplBase {
    @Inject
    NodeService nodes;

    @Inject
    Clock clock;

    @Override
    public Uni<ListNodesResponse> listNodes(ListNodesRequest request) {
        Caller.current();
        return nodes.list(Caller.bearerToken(), request.getProject()).map(list -> {
            var now = clock.instant();
            return ListNodesResponse.newBuilder()
                    .addAllNodes(list.stream().map(n -> Protos.node(n, now)).toList())
                    .build();
        });
    }

    @Override
    public Uni<Empty> removeNode(RemoveNodeRequest request) {
        Caller.current();
        return nodes.remove(Caller.bearerToken(), request.getProject(), request.getNode())
                .replaceWith(Empty.getDefaultInstance());
    }
}
