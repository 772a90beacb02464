package dev.autolab.auth.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.autolab.auth.config.AuthConfig;

class HashingGateTest {

    private static HashingGate gateOf(int bound) {
        AuthConfig.Throttle throttle = (AuthConfig.Throttle) java.lang.reflect.Proxy.newProxyInstance(
                HashingGateTest.class.getClassLoader(),
                new Class<?>[] {AuthConfig.Throttle.class},
                (proxy, method, args) -> method.getName().equals("maxConcurrentHashes") ? bound : null);
        AuthConfig config = (AuthConfig) java.lang.reflect.Proxy.newProxyInstance(
                HashingGateTest.class.getClassLoader(),
                new Class<?>[] {AuthConfig.class},
                (proxy, method, args) -> method.getName().equals("throttle") ? throttle : null);
        return new HashingGate(config, null);
    }

    @Test
    void theOneOverTheBoundIsRefusedNotQueued() {
        HashingGate gate = gateOf(2);
        assertTrue(gate.tryEnter());
        assertTrue(gate.tryEnter());
        assertFalse(gate.tryEnter(), "a third hash at once");
        assertEquals(2, gate.inFlight(), "a refusal takes no place");
    }

    @Test
    void aRefusalSaysToRetry() {
        HashingGate gate = gateOf(0);
        var failure = org.junit.jupiter.api.Assertions.assertThrows(
                dev.autolab.common.error.AutolabException.class,
                () -> gate.run(() -> "never").await().indefinitely());
        assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, failure.code());
        assertEquals("auth-service is busy checking passwords; try again in a moment", failure.getMessage());
    }
}
