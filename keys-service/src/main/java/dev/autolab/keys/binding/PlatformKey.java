package dev.autolab.keys.binding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Singleton;

import dev.autolab.common.error.Errors;
import dev.autolab.keys.config.KeysConfig;
import dev.autolab.keys.key.Provider;

/**
 * The managed default every project starts on, configured per deployment: its provider, its default
 * model and where its value is (a configuration value or a file; in production a mounted secret).
 */
@Singleton
public class PlatformKey {
    private final Provider provider;
    private final String model;
    private final KeysConfig.Platform config;

    public PlatformKey(KeysConfig config) {
        this.config = config.platform();
        this.provider = Provider.orNull(this.config.provider());
        if (provider == null) {
            throw new IllegalArgumentException("autolab.keys.platform.provider must be one of " + Provider.allNames());
        }
        this.model = Models.requireValid(this.config.model(), provider, "the platform key");
    }

    public Provider provider() {
        return provider;
    }

    public String model() {
        return model;
    }

    /** The value; FAILED_PRECONDITION when this deployment has none. Read per call so a rotated file is seen. */
    public String value() {
        if (config.value().isPresent() && !config.value().get().isBlank()) {
            return config.value().get().strip();
        }
        if (config.valueFile().isPresent() && !config.valueFile().get().isBlank()) {
            try {
                return Files.readString(Path.of(config.valueFile().get()), StandardCharsets.UTF_8)
                        .strip();
            } catch (IOException e) {
                throw Errors.unavailable("the platform key file cannot be read; ask the operator of this deployment");
            }
        }
        throw Errors.failedPrecondition("this deployment has no platform key configured; bind your own key to the "
                + "project with `autolab keys use KEY`");
    }
}
