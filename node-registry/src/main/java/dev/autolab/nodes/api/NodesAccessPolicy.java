package dev.autolab.nodes.api;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.autolab.common.auth.AccessPolicy;
import dev.autolab.common.auth.MethodAccess;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeServiceGrpc;

/**
 * Which credential each node-registry method takes. RegisterNode is not listed: it needs a personal
 * access token (the PAT is used once, to mint the node's own credential).
 */
public class NodesAccessPolicy {

    @Produces
    @Singleton
    AccessPolicy accessPolicy() {
        return AccessPolicy.builder()
                // The node's stream: only its own credential.
                .allow(MethodAccess.NODE, NodeAgentServiceGrpc.getConnectMethod())
                // Members see and manage nodes from the CLI, with a token only: this policy refuses a browser
                // session here (auth-service's Authorize would accept one; the dashboard has no nodes tab).
                .allow(MethodAccess.TOKEN, NodeServiceGrpc.getListNodesMethod(), NodeServiceGrpc.getRemoveNodeMethod())
                .build();
    }
}
