package dev.autolab.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

    /**
     * HTTP/2 connections per service for streaming calls (node {@code Connect} streams), kept apart
     * from the unary pool. With {@link #streamsPerConnection()} this bounds the streams open to one
     * service: 16 x 1,000 = 16,000 nodes.
     */
    @WithDefault("16")
    int streamConnections();

    /** Streams on one upstream connection for streaming calls (fewer if the service advertises fewer). */
    @WithDefault("1000")
    int streamsPerConnection();

    /** Largest REST request body. */
    @WithDefault("1048576")
    long maxBodyBytes();

    /**
     * The address people use to reach the gateway ({@code AUTOLAB_PUBLIC_URL}): its origin is the one
     * browser origin the gateway trusts, and an https URL makes every cookie Secure.
     */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    /** Overrides whether cookies are Secure; unset, they are Secure exactly when the public URL is https. */
    Optional<Boolean> secureCookies();

    /**
     * Addresses or CIDR blocks of the proxies (an ingress) in front of the gateway. Only when the direct
     * peer is one of them is its X-Forwarded-For believed; empty (the default) believes no one.
     */
    Optional<List<String>> trustedProxies();

    /** Whether cookies get the Secure attribute. */
    default boolean cookiesSecure() {
        return secureCookies().orElse(httpsOnly());
    }

    /**
     * Whether people reach the gateway over https only (an https public URL): then its origin is the one
     * browser origin trusted, and pages carry Strict-Transport-Security.
     */
    default boolean httpsOnly() {
        return publicUrl().toLowerCase(Locale.ROOT).startsWith("https://");
    }
}
