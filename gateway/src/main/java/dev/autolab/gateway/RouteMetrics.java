package dev.autolab.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.gateway.passthrough.PublicServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Requests and their latency per route ({@code autolab_gateway_requests_seconds} count, sum and histogram
 * buckets at {@code /q/metrics}), tagged by the route's template (never the raw path: one series per route,
 * not per token name) and the HTTP status. Requests that matched no route share {@code route="other"}.
 */
@Singleton
public class RouteMetrics {
    static final String NAME = "autolab.gateway.requests";
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Map<String, Map<Integer, Timer>> timers = new ConcurrentHashMap<>();

    @Inject
    public RouteMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String route, int status, long nanos) {
        String tag = route == null ? OTHER : route.startsWith("grpc ") ? grpcTag(route) : route;
        timers.computeIfAbsent(tag, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> timer(tag, s))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * Pass-through calls by service ({@code grpc autolab.auth.v1.UserService}), and only for services that may
     * be called: a method path is the client's to choose, and each distinct one would be a new series.
     */
    private static String grpcTag(String route) {
        int slash = route.indexOf('/', "grpc /".length());
        String service = slash < 0 ? "" : route.substring("grpc /".length(), slash);
        return PublicServices.allows(service) ? "grpc " + service : "grpc other";
    }

    private Timer timer(String route, int status) {
        return Timer.builder(NAME)
                .description("REST and gRPC requests through the gateway, by route template and HTTP status")
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(15))
                .register(registry);
    }
}
