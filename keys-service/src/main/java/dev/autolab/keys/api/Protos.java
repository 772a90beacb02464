package dev.autolab.keys.api;

import com.google.protobuf.Timestamp;

import dev.autolab.keys.binding.ProjectLlmView;
import dev.autolab.keys.key.ProviderKey;
import dev.autolab.proto.keys.v1.ProjectLlm;

/** Domain objects as protos. A key's value is never in any of them. */
final class Protos {
    private Protos() {}

    static dev.autolab.proto.keys.v1.ProviderKey key(ProviderKey k) {
        var b = dev.autolab.proto.keys.v1.ProviderKey.newBuilder()
                .setId(k.id().toString())
                .setName(k.name())
                .setProvider(k.provider().id())
                .setHint(k.hint())
                .setSpentMicroUsd(k.spentMicroUsd())
                .setCreatedAt(Timestamp.newBuilder()
                        .setSeconds(k.createdAt().getEpochSecond())
                        .setNanos(k.createdAt().getNano()))
                .addAllProjects(k.projects());
        if (k.limitMicroUsd() != null) {
            b.setLimitMicroUsd(k.limitMicroUsd());
        }
        return b.build();
    }

    static ProjectLlm projectLlm(ProjectLlmView v) {
        var b = ProjectLlm.newBuilder()
                .setProject(v.project())
                .setPlatform(v.platform())
                .setModel(v.model())
                .setProvider(v.provider());
        if (v.key() != null) {
            // Teammates see whose key it is, not where else its owner uses it.
            b.setKey(key(v.key()).toBuilder().clearProjects())
                    .setKeyOwner(v.key().ownerHandle());
        }
        return b.build();
    }
}
