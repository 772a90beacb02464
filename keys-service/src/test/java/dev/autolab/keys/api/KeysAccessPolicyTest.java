package dev.autolab.keys.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.autolab.common.auth.MethodAccess;
import dev.autolab.proto.keys.v1.KeyResolutionServiceGrpc;
import dev.autolab.proto.keys.v1.KeyServiceGrpc;
import dev.autolab.proto.keys.v1.ProjectLlmServiceGrpc;
import dev.autolab.proto.keys.v1.ProviderServiceGrpc;
import dev.autolab.testing.SessionMethods;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;

/**
 * Exactly which keys-service methods take a browser session, as a table of method descriptors (the compiler
 * checks every name). A session is a cookie any page of the gateway's origin can use, so each method that
 * takes one is a decision: one added to KeysAccessPolicy by mistake, or a new method of a listed service that
 * falls into a session-taking rule, fails here.
 */
class KeysAccessPolicyTest {
    /** Every service keys-service serves. */
    private static final List<ServiceDescriptor> SERVICES = List.of(
            KeyServiceGrpc.getServiceDescriptor(),
            ProjectLlmServiceGrpc.getServiceDescriptor(),
            ProviderServiceGrpc.getServiceDescriptor(),
            KeyResolutionServiceGrpc.getServiceDescriptor());

    /** The methods that take a session, and how; all others take none. The dashboard's LLM Keys tab. */
    private static final Map<MethodDescriptor<?, ?>, MethodAccess> TAKES_A_SESSION = Map.ofEntries(
            Map.entry(KeyServiceGrpc.getListKeysMethod(), MethodAccess.TOKEN_OR_SESSION),
            Map.entry(KeyServiceGrpc.getAddKeyMethod(), MethodAccess.TOKEN_OR_SESSION),
            Map.entry(KeyServiceGrpc.getRemoveKeyMethod(), MethodAccess.TOKEN_OR_SESSION),
            Map.entry(KeyServiceGrpc.getUpdateKeyMethod(), MethodAccess.TOKEN_OR_SESSION),
            Map.entry(ProjectLlmServiceGrpc.getSetProjectLlmMethod(), MethodAccess.TOKEN_OR_SESSION),
            Map.entry(ProjectLlmServiceGrpc.getGetProjectLlmMethod(), MethodAccess.TOKEN_OR_SESSION));

    @Test
    void exactlyTheseMethodsTakeABrowserSession() {
        assertEquals(
                SessionMethods.byName(TAKES_A_SESSION),
                SessionMethods.grantedBy(new KeysAccessPolicy().accessPolicy(), SERVICES));
    }
}
