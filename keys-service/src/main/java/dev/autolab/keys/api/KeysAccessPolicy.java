package dev.autolab.keys.api;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.autolab.common.auth.AccessPolicy;
import dev.autolab.common.auth.MethodAccess;
import dev.autolab.proto.keys.v1.KeyResolutionServiceGrpc;
import dev.autolab.proto.keys.v1.KeyServiceGrpc;
import dev.autolab.proto.keys.v1.ProjectLlmServiceGrpc;
import dev.autolab.proto.keys.v1.ProviderServiceGrpc;

/** Which credential each keys-service method takes; anything not listed needs a personal access token. */
public class KeysAccessPolicy {

    @Produces
    @Singleton
    AccessPolicy accessPolicy() {
        return AccessPolicy.builder()
                // The list of providers is the same for everyone.
                .allow(MethodAccess.PUBLIC, ProviderServiceGrpc.getListProvidersMethod())
                // The dashboard's LLM Keys tab works with a browser session, including the current
                // project's key and model (auth-service's Authorize checks the session's role as a PAT's).
                .allow(
                        MethodAccess.TOKEN_OR_SESSION,
                        KeyServiceGrpc.getListKeysMethod(),
                        KeyServiceGrpc.getAddKeyMethod(),
                        KeyServiceGrpc.getRemoveKeyMethod(),
                        KeyServiceGrpc.getUpdateKeyMethod(),
                        ProjectLlmServiceGrpc.getSetProjectLlmMethod(),
                        ProjectLlmServiceGrpc.getGetProjectLlmMethod())
                // Only an execution node ever gets a value back, or reports spend.
                .allow(
                        MethodAccess.NODE,
                        KeyResolutionServiceGrpc.getResolveProjectKeyMethod(),
                        KeyResolutionServiceGrpc.getRecordUsageMethod())
                .build();
    }
}
