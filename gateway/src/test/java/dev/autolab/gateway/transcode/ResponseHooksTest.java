package dev.autolab.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.TestGatewayConfig;
import dev.autolab.gateway.route.DescriptorLoader;
import dev.autolab.gateway.route.RouteTable;
import dev.autolab.gateway.upstream.Upstreams;
import io.vertx.ext.web.RoutingContext;

class ResponseHooksTest {
    private final RouteTable routes = new RouteTable(DescriptorLoader.load(), new Upstreams(new TestGatewayConfig()));

    private static ResponseHook hook(String method) {
        return new ResponseHook() {
            public String fullMethodName() {
                return method;
            }

            public void onSuccess(RoutingContext ctx, byte[] response) {}
        };
    }

    @Test
    void hooksAreFoundByTheirMethod() {
        ResponseHook signIn = hook("autolab.auth.v1.SessionService/CreateSession");
        var byMethod = ResponseHooks.byMethod(List.of(signIn), routes);
        assertEquals(List.of(signIn), byMethod.get("autolab.auth.v1.SessionService/CreateSession"));
        assertEquals(1, byMethod.size());
    }

    @Test
    void aHookOnAMethodWithoutARouteStopsTheStart() {
        // ValidateToken is internal: no http rule, so a hook on it would never run.
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> ResponseHooks.byMethod(
                        List.of(hook("autolab.auth.v1.InternalAuthService/ValidateToken")), routes));
        assertEquals(
                true,
                e.getMessage()
                        .endsWith(" hooks autolab.auth.v1.InternalAuthService/ValidateToken, which has no REST route"
                                + " (no google.api.http rule in proto/)"),
                e.getMessage());
    }
}
