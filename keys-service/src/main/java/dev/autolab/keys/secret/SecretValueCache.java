package dev.autolab.keys.secret;

import java.util.UUID;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.autolab.keys.config.KeysConfig;

/**
 * Resolved values, keyed by key id and secret version. Safe to keep: a rotation makes a new version
 * (so the old entry is never asked for again), and rotation and removal also drop the key's entries.
 */
@Singleton
public class SecretValueCache {
    private record Entry(UUID keyId, int version) {}

    private final Cache<Entry, String> values;

    public SecretValueCache(KeysConfig config) {
        this.values = Caffeine.newBuilder().maximumSize(config.valueCacheSize()).build();
    }

    public String get(UUID keyId, int version) {
        return values.getIfPresent(new Entry(keyId, version));
    }

    public void put(UUID keyId, int version, String value) {
        values.put(new Entry(keyId, version), value);
    }

    public void forget(UUID keyId) {
        values.asMap().keySet().removeIf(e -> e.keyId().equals(keyId));
    }
}
