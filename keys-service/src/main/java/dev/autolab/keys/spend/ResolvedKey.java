package dev.autolab.keys.spend;

import java.util.UUID;

/** What a node needs to call its LLM. Holds the value: never log it, never put it anywhere but the reply. */
public record ResolvedKey(UUID keyId, String provider, String model, String value) {
    public boolean platform() {
        return keyId == null;
    }

    @Override
    public String toString() {
        return "ResolvedKey[keyId=" + keyId + ", provider=" + provider + ", model=" + model + "]";
    }
}
