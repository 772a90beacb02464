package dev.autolab.nodes.api;

import java.time.Clock;

import jakarta.inject.Inject;

import dev.autolab.common.auth.Caller;
import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.StatusMapper;
import dev.autolab.nodes.config.NodesConfig;
import dev.autolab.nodes.lease.ConnectedNodes;
import dev.autolab.nodes.node.NodeService;
import dev.autolab.proto.nodes.v1.ControlMessage;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeMessage;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * What {@code autolab serve} speaks. The plain grpc-java API rather than Mutiny streams: a node's stream
 * is then just the call's own observers plus one small {@code Session}, which is what lets one replica
 * hold 10,000 of them.
 */
@GrpcService
public class NodeAgentGrpc extends NodeAgentServiceGrpc.NodeAgentServiceImplBase {
    @Inject
    NodeService nodes;

    @Inject
    ConnectedNodes connected;

    @Inject
    NodesConfig config;

    @Inject
    Clock clock;

    @Override
    public void registerNode(RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> response) {
        Principal caller = Caller.current();
        String pat = Caller.bearerToken();
        Context context = Vertx.currentContext();
        nodes.register(
                        caller,
                        pat,
                        new NodeService.Registration(
                                request.getProject(),
                                request.getMachineId(),
                                request.getHostname(),
                                request.getLabelsMap(),
                                request.getResources()))
                .map(registered -> RegisterNodeResponse.newBuilder()
                        .setNode(Protos.node(connected.withLiveLease(registered.node()), clock.instant()))
                        .setNodeCredential(registered.credential())
                        .setHeartbeatIntervalSeconds(
                                (int) Math.max(1, config.heartbeatInterval().toSeconds()))
                        .build())
                .subscribe()
                .with(
                        ok -> onCall(context, () -> {
                            response.onNext(ok);
                            response.onCompleted();
                        }),
                        failure -> onCall(context, () -> response.onError(StatusMapper.toStatus(failure))));
    }

    @Override
    public StreamObserver<NodeMessage> connect(StreamObserver<ControlMessage> responses) {
        return connected.connect(Caller.current(), Caller.bearerToken(), responses);
    }

    /** Answers on the call's own context (the pipeline may finish on another event loop). */
    private static void onCall(Context context, Runnable answer) {
        if (context == null) {
            answer.run();
        } else {
            context.runOnContext(ignored -> answer.run());
        }
    }
}
