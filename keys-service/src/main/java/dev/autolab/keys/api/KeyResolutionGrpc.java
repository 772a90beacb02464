package dev.autolab.keys.api;

import jakarta.inject.Inject;

import dev.autolab.common.auth.Caller;
import dev.autolab.keys.spend.ResolutionService;
import dev.autolab.keys.spend.SpendService;
import dev.autolab.proto.keys.v1.MutinyKeyResolutionServiceGrpc;
import dev.autolab.proto.keys.v1.RecordUsageRequest;
import dev.autolab.proto.keys.v1.RecordUsageResponse;
import dev.autolab.proto.keys.v1.ResolveProjectKeyRequest;
import dev.autolab.proto.keys.v1.ResolvedKey;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** Node-facing (MethodAccess.NODE): only a node credential of the project gets through. */
@GrpcService
public class KeyResolutionGrpc extends MutinyKeyResolutionServiceGrpc.KeyResolutionServiceImplBase {
    @Inject
    ResolutionService resolution;

    @Inject
    SpendService spend;

    @Override
    public Uni<ResolvedKey> resolveProjectKey(ResolveProjectKeyRequest request) {
        return resolution
                .resolve(Caller.current(), request.getProject())
                .map(k -> ResolvedKey.newBuilder()
                        .setKeyId(k.keyId() == null ? "" : k.keyId().toString())
                        .setPlatform(k.platform())
                        .setProvider(k.provider())
                        .setModel(k.model())
                        .setValue(k.value())
                        .build());
    }

    @Override
    public Uni<RecordUsageResponse> recordUsage(RecordUsageRequest request) {
        return spend.record(
                        Caller.current(),
                        request.getProject(),
                        request.getKeyId(),
                        request.getMicroUsd(),
                        request.getUsageId())
                .map(t -> {
                    var b = RecordUsageResponse.newBuilder().setSpentMicroUsd(t.spentMicroUsd());
                    if (t.limitMicroUsd() != null) {
                        b.setLimitMicroUsd(t.limitMicroUsd());
                    }
                    return b.build();
                });
    }
}
