package dev.autolab.keys.api;

import java.util.Arrays;

import dev.autolab.keys.key.Provider;
import dev.autolab.proto.keys.v1.ListProvidersRequest;
import dev.autolab.proto.keys.v1.ListProvidersResponse;
import dev.autolab.proto.keys.v1.MutinyProviderServiceGrpc;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

@GrpcService
public class ProviderGrpc extends MutinyProviderServiceGrpc.ProviderServiceImplBase {
    private static final ListProvidersResponse ALL = ListProvidersResponse.newBuilder()
            .addAllProviders(Arrays.stream(Provider.values())
                    .map(p -> dev.autolab.proto.keys.v1.Provider.newBuilder()
                            .setName(p.id())
                            .setDisplayName(p.displayName())
                            .build())
                    .toList())
            .build();

    @Override
    public Uni<ListProvidersResponse> listProviders(ListProvidersRequest request) {
        return Uni.createFrom().item(ALL);
    }
}
