package dev.autolab.auth.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "autolab.auth")
public interface AuthConfig {

    Signup signup();

    Bootstrap bootstrap();

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

    interface Bootstrap {
        /**
         * A file of first users, one {@code handle:password} a line ({@code AUTOLAB_BOOTSTRAP_USERS_FILE}):
         * each is created at start when absent and never changed when present. Unset: none.
         */
        java.util.Optional<java.nio.file.Path> usersFile();
    }

    interface Device {
        @WithDefault("10m")
        Duration codeLifetime();

        @WithDefault("5s")
        Duration pollInterval();

        /**
         * OAuth 2.0 public clients allowed to ask for device codes besides the built-in {@code autolab-cli}:
         * client id to the name the approval page shows ({@code autolab.auth.device.clients.my-editor=My Editor}).
         */
        java.util.Map<String, String> clients();
    }

    interface TokenCache {
        /** Bounds how long a revoked token keeps working in this process. */
        @WithDefault("4s")
        Duration ttl();

        @WithDefault("100000")
        long maxEntries();
    }

    interface Throttle {
        /** Failed sign-ins for one handle from one client address before each further try must wait. */
        @WithDefault("5")
        int freeFailuresPerHandleAndAddress();

        /** Failed sign-ins for one handle from anywhere (a distributed guess at one account). */
        @WithDefault("20")
        int freeFailuresPerHandle();

        /** Failed sign-ins from one client address for any handles: high, so one noisy handle locks out no one else. */
        @WithDefault("100")
        int freeFailuresPerAddress();

        /** The first wait once the free attempts are used up; each further attempt doubles it. */
        @WithDefault("10s")
        Duration firstDelay();

        /** The longest wait. */
        @WithDefault("5m")
        Duration maxDelay();

        /** A counter left alone this long starts over. */
        @WithDefault("15m")
        Duration forgetAfter();

        /** Password hashes computed at once; one more is refused at once (RESOURCE_EXHAUSTED), never queued. */
        @WithDefault("8")
        int maxConcurrentHashes();

        /** Device-code requests from one client address (within a minute of each other) before each further one must wait. */
        @WithDefault("30")
        int freeDeviceCodesPerAddress();

        /** Wrong user codes typed on the approval page, per browser session and per address, before waits. */
        @WithDefault("10")
        int freeWrongUserCodes();
    }

    /** Addresses or CIDR blocks whose {@code x-forwarded-for} is believed (the gateway); anyone else is its own peer address. */
    @WithDefault("127.0.0.1,::1")
    java.util.List<String> trustedProxies();
}
