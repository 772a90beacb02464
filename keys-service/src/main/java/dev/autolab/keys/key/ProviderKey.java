package dev.autolab.keys.key;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A stored key's metadata; its value is only in the secret store. */
public record ProviderKey(
        UUID id,
        UUID ownerId,
        String ownerHandle,
        String name,
        Provider provider,
        String hint,
        Long limitMicroUsd,
        long spentMicroUsd,
        int secretVersion,
        Instant createdAt,
        List<String> projects) {

    public String shortId() {
        return id.toString().substring(0, 8);
    }

    public boolean exhausted() {
        return limitMicroUsd != null && spentMicroUsd >= limitMicroUsd;
    }

    public ProviderKey withProjects(List<String> using) {
        return new ProviderKey(
                id,
                ownerId,
                ownerHandle,
                name,
                provider,
                hint,
                limitMicroUsd,
                spentMicroUsd,
                secretVersion,
                createdAt,
                using);
    }
}
