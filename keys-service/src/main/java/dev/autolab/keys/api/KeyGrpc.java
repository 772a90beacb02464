package dev.autolab.keys.api;

import jakarta.inject.Inject;

import com.google.protobuf.Empty;

import dev.autolab.common.auth.Caller;
import dev.autolab.keys.key.KeyService;
import dev.autolab.proto.keys.v1.AddKeyRequest;
import dev.autolab.proto.keys.v1.KeyChanges;
import dev.autolab.proto.keys.v1.ListKeysRequest;
import dev.autolab.proto.keys.v1.ListKeysResponse;
import dev.autolab.proto.keys.v1.MutinyKeyServiceGrpc;
import dev.autolab.proto.keys.v1.ProviderKey;
import dev.autolab.proto.keys.v1.RemoveKeyRequest;
import dev.autolab.proto.keys.v1.UpdateKeyRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

@GrpcService
public class KeyGrpc extends MutinyKeyServiceGrpc.KeyServiceImplBase {
    @Inject
    KeyService keys;

    @Override
    public Uni<ListKeysResponse> listKeys(ListKeysRequest request) {
        return keys.list(Caller.current())
                .map(list -> ListKeysResponse.newBuilder()
                        .addAllKeys(list.stream().map(Protos::key).toList())
                        .build());
    }

    @Override
    public Uni<ProviderKey> addKey(AddKeyRequest request) {
        return keys.add(
                        Caller.current(),
                        request.getProvider(),
                        request.getName(),
                        request.getValue(),
                        request.hasLimitMicroUsd() ? request.getLimitMicroUsd() : null)
                .map(Protos::key);
    }

    @Override
    public Uni<Empty> removeKey(RemoveKeyRequest request) {
        return keys.remove(Caller.current(), request.getRef(), request.getForce())
                .replaceWith(Empty.getDefaultInstance());
    }

    @Override
    public Uni<ProviderKey> updateKey(UpdateKeyRequest request) {
        KeyChanges c = request.getChanges();
        return keys.update(
                        Caller.current(),
                        request.getRef(),
                        new KeyService.Changes(
                                c.hasName() ? c.getName() : null,
                                c.hasLimitMicroUsd() ? c.getLimitMicroUsd() : null,
                                c.getClearLimit(),
                                c.hasValue() ? c.getValue() : null))
                .map(Protos::key);
    }
}
