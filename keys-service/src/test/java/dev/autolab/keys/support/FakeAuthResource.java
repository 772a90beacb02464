package dev.autolab.keys.support;

import java.util.Map;

import dev.autolab.testing.FakeAuthService;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a {@link FakeAuthService} for a {@code @QuarkusTest} and injects it into its fields of that type. */
public class FakeAuthResource implements QuarkusTestResourceLifecycleManager {
    private final FakeAuthService auth = new FakeAuthService();

    @Override
    public Map<String, String> start() {
        try {
            return Map.of("autolab.keys.auth-address", "localhost:" + auth.start());
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
