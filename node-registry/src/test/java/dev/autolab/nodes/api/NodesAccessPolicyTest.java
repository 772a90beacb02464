package dev.autolab.nodes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.autolab.common.auth.MethodAccess;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeServiceGrpc;
import dev.autolab.testing.SessionMethods;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;

/**
 * Exactly which node-registry methods take a browser session, as a table of method descriptors (the compiler
 * checks every name). A session is a cookie any page of the gateway's origin can use, so each method that
 * takes one is a decision: one added to NodesAccessPolicy by mistake, or a new method of a listed service that
 * falls into a session-taking rule, fails here.
 */
class NodesAccessPolicyTest {
    /** Every service node-registry serves. */
    private static final List<ServiceDescriptor> SERVICES =
            List.of(NodeServiceGrpc.getServiceDescriptor(), NodeAgentServiceGrpc.getServiceDescriptor());

    /** The methods that take a session, and how; all others take none. None: the dashboard has no nodes tab. */
    private static final Map<MethodDescriptor<?, ?>, MethodAccess> TAKES_A_SESSION = Map.of();

    @Test
    void exactlyTheseMethodsTakeABrowserSession() {
        assertEquals(
                SessionMethods.byName(TAKES_A_SESSION),
                SessionMethods.grantedBy(new NodesAccessPolicy().accessPolicy(), SERVICES));
    }
}
