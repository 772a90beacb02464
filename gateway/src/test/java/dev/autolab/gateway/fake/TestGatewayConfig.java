package dev.autolab.gateway.fake;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.autolab.gateway.GatewayConfig;

/** A gateway configuration for tests that build route tables without Quarkus: fixed, unreachable upstreams. */
public final class TestGatewayConfig implements GatewayConfig {
    private final String publicUrl;

    public TestGatewayConfig() {
        this("http://localhost:8080");
    }

    /** With this public URL (an https one makes cookies Secure and trusts only its origin). */
    public TestGatewayConfig(String publicUrl) {
        this.publicUrl = publicUrl;
    }

    public String authService() {
        return "auth:1";
    }

    public String keysService() {
        return "keys:2";
    }

    public String nodeRegistry() {
        return "nodes:3";
    }

    public Duration callTimeout() {
        return Duration.ofSeconds(1);
    }

    public int streamConnections() {
        return 1;
    }

    public int streamsPerConnection() {
        return 1;
    }

    public long maxBodyBytes() {
        return 1024;
    }

    public String publicUrl() {
        return publicUrl;
    }

    public Optional<Boolean> secureCookies() {
        return Optional.empty();
    }

    public Optional<List<String>> trustedProxies() {
        return Optional.empty();
    }
}
