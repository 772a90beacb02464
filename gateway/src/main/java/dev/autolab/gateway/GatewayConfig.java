package dev.autolab.gateway;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "autolab.gateway")
public interface GatewayConfig {
    /** host:port of auth-service's gRPC. */
    @WithDefault("localhost:9101")
    String authService();

    @WithDefault("localhost:9102")
    String keysService();

    @WithDefault("localhost:9103")
    String nodeRegistry();

    /** Deadline of every transcoded call. */
    @WithDefault("10s")
    Duration callTimeout();

    /** Largest REST request body. */
    @WithDefault("1048576")
    long maxBodyBytes();

    /** Mark cookies Secure (set when served over HTTPS). */
    @WithDefault("false")
    boolean secureCookies();
}
