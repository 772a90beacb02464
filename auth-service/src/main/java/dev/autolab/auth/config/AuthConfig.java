package dev.autolab.auth.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "autolab.auth")
public interface AuthConfig {

    Signup signup();

    /** Base URL of the gateway, for the device verification link. */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    Device device();

    /** How long a browser session lasts. */
    @WithDefault("12h")
    Duration sessionLifetime();

    /** How often last-used is written at most, per token. */
    @WithDefault("60s")
    Duration lastUsedResolution();

    TokenCache tokenCache();

    Throttle throttle();

    interface Signup {
        /** Whether anyone may sign up. */
        @WithDefault("false")
        boolean open();
    }

    interface Device {
        @WithDefault("10m")
        Duration codeLifetime();

        @WithDefault("5s")
        Duration pollInterval();
    }

    interface TokenCache {
        /** Bounds how long a revoked token keeps working in this process. */
        @WithDefault("4s")
        Duration ttl();

        @WithDefault("100000")
        long maxEntries();
    }

    interface Throttle {
        /** Failed sign-ins for one handle before each further try must wait. */
        @WithDefault("5")
        int freeFailuresPerHandle();

        /** Failed sign-ins from one client address before each further try must wait. */
        @WithDefault("20")
        int freeFailuresPerAddress();

        /** The longest wait; waits double from one second up to this. */
        @WithDefault("5m")
        Duration maxDelay();
    }
}
