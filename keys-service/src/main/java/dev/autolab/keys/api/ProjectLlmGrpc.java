package dev.autolab.keys.api;

import jakarta.inject.Inject;

import dev.autolab.common.auth.Caller;
import dev.autolab.keys.binding.BindingService;
import dev.autolab.proto.keys.v1.GetProjectLlmRequest;
import dev.autolab.proto.keys.v1.MutinyProjectLlmServiceGrpc;
import dev.autolab.proto.keys.v1.ProjectLlm;
import dev.autolab.proto.keys.v1.SetProjectLlmRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

@GrpcService
public class ProjectLlmGrpc extends MutinyProjectLlmServiceGrpc.ProjectLlmServiceImplBase {
    @Inject
    BindingService bindings;

    @Override
    public Uni<ProjectLlm> setProjectLlm(SetProjectLlmRequest request) {
        return bindings.set(
                        Caller.current(),
                        Caller.bearerToken(),
                        request.getProject(),
                        request.getKey(),
                        request.getModel())
                .map(Protos::projectLlm);
    }

    @Override
    public Uni<ProjectLlm> getProjectLlm(GetProjectLlmRequest request) {
        Caller.current();
        return bindings.get(Caller.bearerToken(), request.getProject()).map(Protos::projectLlm);
    }
}
