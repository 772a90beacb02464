package dev.autolab.nodes.support;

import java.util.UUID;

import dev.autolab.proto.nodes.v1.Gpu;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import dev.autolab.proto.nodes.v1.RegisterNodeResponse;
import dev.autolab.proto.nodes.v1.Resources;

/** Registration requests as `autolab serve` sends them. */
public final class Requests {
    private Requests() {}

    public static final Resources GPU_BOX = Resources.newBuilder()
            .setCpus(32)
            .setMemoryBytes(256L << 30)
            .addGpus(Gpu.newBuilder().setModel("NVIDIA H100 80GB HBM3").setMemoryBytes(80L << 30))
            .build();

    /** A registration of a new machine named {@code hostname}. */
    public static RegisterNodeRequest.Builder registration(String project, String hostname) {
        return RegisterNodeRequest.newBuilder()
                .setProject(project)
                .setMachineId(UUID.randomUUID().toString().replace("-", ""))
                .setHostname(hostname)
                .putLabels("zone", "eu-west")
                .setResources(GPU_BOX);
    }

    public static RegisterNodeResponse register(String token, RegisterNodeRequest.Builder request) {
        return Api.agent(token).registerNode(request.build());
    }
}
