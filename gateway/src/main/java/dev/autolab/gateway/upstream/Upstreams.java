package dev.autolab.gateway.upstream;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.gateway.GatewayConfig;

/** Which service owns which proto package: {@code autolab.auth.*} is auth-service, and so on. */
@Singleton
public class Upstreams {
    private final Map<String, Upstream> byPackage;

    @Inject
    public Upstreams(GatewayConfig config) {
        this.byPackage = Map.of(
                "autolab.auth.", parse("auth-service", config.authService()),
                "autolab.keys.", parse("keys-service", config.keysService()),
                "autolab.nodes.", parse("node-registry", config.nodeRegistry()));
    }

    /** Every service the gateway forwards to, by name. */
    public List<Upstream> all() {
        return byPackage.values().stream()
                .sorted(java.util.Comparator.comparing(Upstream::name))
                .toList();
    }

    /** The owner of a fully qualified gRPC service name, or null when no service owns it. */
    public Upstream forService(String fullServiceName) {
        for (Map.Entry<String, Upstream> e : byPackage.entrySet()) {
            if (fullServiceName.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Upstream parse(String name, String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(name + " address must be host:port, got " + address);
        }
        return new Upstream(name, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }
}
