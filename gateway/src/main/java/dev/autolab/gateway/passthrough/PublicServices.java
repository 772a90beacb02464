package dev.autolab.gateway.passthrough;

import java.util.Set;

import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.ProjectServiceGrpc;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import dev.autolab.proto.keys.v1.KeyResolutionServiceGrpc;
import dev.autolab.proto.keys.v1.KeyServiceGrpc;
import dev.autolab.proto.keys.v1.ProjectLlmServiceGrpc;
import dev.autolab.proto.keys.v1.ProviderServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeServiceGrpc;

/**
 * The one table of gRPC services the outside may call through the gateway: the public APIs and the
 * node-facing ones. Anything else (InternalAuthService and every service-to-service API) is
 * refused at the edge and never reaches a service. Built from the generated {@code SERVICE_NAME}
 * constants, so a renamed or removed service breaks the build instead of the list.
 */
public final class PublicServices {
    private static final Set<String> ALLOWED = Set.of(
            // auth-service: people and the CLI
            UserServiceGrpc.SERVICE_NAME,
            TokenServiceGrpc.SERVICE_NAME,
            ProjectServiceGrpc.SERVICE_NAME,
            DeviceServiceGrpc.SERVICE_NAME,
            SessionServiceGrpc.SERVICE_NAME,
            // keys-service: people, and nodes resolving their project's key with a node credential
            KeyServiceGrpc.SERVICE_NAME,
            ProjectLlmServiceGrpc.SERVICE_NAME,
            ProviderServiceGrpc.SERVICE_NAME,
            KeyResolutionServiceGrpc.SERVICE_NAME,
            // node-registry: people, and execution nodes
            NodeServiceGrpc.SERVICE_NAME,
            NodeAgentServiceGrpc.SERVICE_NAME);

    private PublicServices() {}

    /** Whether a fully qualified gRPC service name may be called from outside. */
    public static boolean allows(String fullServiceName) {
        return ALLOWED.contains(fullServiceName);
    }

    public static Set<String> all() {
        return ALLOWED;
    }
}
