package dev.autolab.nodes.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "autolab.nodes")
public interface NodesConfig {

    /** auth-service's gRPC address, host:port. */
    String authAddress();

    /** Deadline of each call to auth-service. */
    @WithDefault("5s")
    Duration authDeadline();

    TokenCache tokenCache();

    /** How often nodes are told to heartbeat. */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /** How long a heartbeat keeps a node online. */
    @WithDefault("30s")
    Duration lease();

    /** How long an offline node is kept before it is removed (and its credentials revoked). */
    @WithDefault("24h")
    Duration offlineGrace();

    /**
     * How often the sweeper runs: expires leases, flushes them to PostgreSQL, re-validates credentials
     * while the revocation stream is down, removes nodes past the grace. 0 turns the timer off (tests
     * call {@code NodeSweeper.sweep()} themselves).
     */
    @WithDefault("5s")
    Duration sweepInterval();

    /** Most nodes one project may register. */
    @WithDefault("1000")
    int maxPerProject();

    /**
     * Most registrations in flight at once on one replica (each holds a database connection and calls
     * auth-service); past it, RESOURCE_EXHAUSTED and the node tries again.
     */
    @WithDefault("16")
    int maxConcurrentRegistrations();

    interface TokenCache {
        /** Bounds how long a revoked credential keeps working here while the revocation stream is down. */
        @WithDefault("4s")
        Duration ttl();

        @WithDefault("100000")
        long maxEntries();
    }
}
