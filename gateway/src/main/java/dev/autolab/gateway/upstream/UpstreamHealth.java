package dev.autolab.gateway.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.autolab.gateway.RequestMetadata;
import io.grpc.Status.Code;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * Which services the gateway can reach, in {@code /q/health/ready}: each is asked the standard
 * {@code grpc.health.v1.Health/Check}. Any gRPC answer (even UNIMPLEMENTED: a service without the health
 * service still answered) means reachable; a refused connection, a reset or a missed deadline means down.
 * The check itself stays UP while one service is down, listing it, because the gateway still serves
 * every route of the others: taking it out of rotation would turn one service's outage into everyone's.
 * It is DOWN only when no service can be reached at all.
 */
@Readiness
@Singleton
public class UpstreamHealth implements AsyncHealthCheck {
    static final String METHOD = "grpc.health.v1.Health/Check";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final UpstreamClient client;
    private final List<Upstream> upstreams;

    @Inject
    public UpstreamHealth(UpstreamClient client, Upstreams upstreams) {
        this.client = client;
        this.upstreams = upstreams.all();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<Future<UpstreamClient.Reply>> probes = new ArrayList<>();
        for (Upstream upstream : upstreams) {
            // An empty HealthCheckRequest (service "": the server as a whole) is zero bytes.
            probes.add(client.unary(upstream, METHOD, new byte[0], metadata(), TIMEOUT));
        }
        return Uni.createFrom()
                .completionStage(Future.join(probes).toCompletionStage())
                .onItemOrFailure()
                .transform((done, failure) -> {
                    Map<String, String> state = new TreeMap<>();
                    int reachable = 0;
                    for (int i = 0; i < upstreams.size(); i++) {
                        UpstreamClient.Reply reply = probes.get(i).result();
                        boolean down = reply == null
                                || reply.code() == Code.UNAVAILABLE
                                || reply.code() == Code.DEADLINE_EXCEEDED;
                        state.put(upstreams.get(i).name(), down ? "DOWN" : "UP");
                        reachable += down ? 0 : 1;
                    }
                    var response = HealthCheckResponse.named("upstreams").status(reachable > 0);
                    state.forEach(response::withData);
                    return response.build();
                });
    }

    private static MultiMap metadata() {
        return MultiMap.caseInsensitiveMultiMap().set(RequestMetadata.REQUEST_ID_HEADER, "health-check");
    }
}
