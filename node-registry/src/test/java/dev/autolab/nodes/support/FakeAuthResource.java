package dev.autolab.nodes.support;

import java.util.Map;

import dev.autolab.testing.FakeAuthService;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeAuthService} for a {@code @QuarkusTest} and injects it into its fields of that
 * type. The node cap is lowered to {@link #MAX_PER_PROJECT} so a test can reach it.
 */
public class FakeAuthResource implements QuarkusTestResourceLifecycleManager {
    public static final int MAX_PER_PROJECT = 4;

    private final FakeAuthService auth = new FakeAuthService();

    @Override
    public Map<String, String> start() {
        try {
            return Map.of(
                    "autolab.nodes.auth-address",
                    "localhost:" + auth.start(),
                    "autolab.nodes.max-per-project",
                    Integer.toString(MAX_PER_PROJECT));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the fake auth-service", e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(auth, new TestInjector.MatchesType(FakeAuthService.class));
    }

    @Override
    public void stop() {
        auth.stop();
    }
}
