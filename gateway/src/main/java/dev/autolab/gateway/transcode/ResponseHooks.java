package dev.autolab.gateway.transcode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.autolab.gateway.route.Route;
import dev.autolab.gateway.route.RouteTable;

/** The registered {@link ResponseHook}s by method, checked at start against the routes. */
final class ResponseHooks {
    private ResponseHooks() {}

    static Map<String, List<ResponseHook>> byMethod(List<ResponseHook> hooks, RouteTable routes) {
        Set<String> routed = routes.routes().stream().map(Route::fullMethodName).collect(Collectors.toSet());
        Map<String, List<ResponseHook>> byMethod = new HashMap<>();
        for (ResponseHook hook : hooks) {
            String method = hook.fullMethodName();
            if (!routed.contains(method)) {
                // A typo or a removed http rule would otherwise silently turn the hook off.
                throw new IllegalStateException(hook.getClass().getName() + " hooks " + method
                        + ", which has no REST route (no google.api.http rule in proto/)");
            }
            byMethod.computeIfAbsent(method, m -> new ArrayList<>()).add(hook);
        }
        byMethod.replaceAll((m, list) -> List.copyOf(list));
        return Map.copyOf(byMethod);
    }
}
