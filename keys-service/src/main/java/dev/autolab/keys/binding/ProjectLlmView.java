package dev.autolab.keys.binding;

import dev.autolab.keys.key.ProviderKey;

/** What a project uses: the platform key, or a member's key (metadata only), and the pinned model. */
public record ProjectLlmView(String project, ProviderKey key, String model, String provider) {
    public boolean platform() {
        return key == null;
    }
}
