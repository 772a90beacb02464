package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ServerSocket;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.autolab.common.error.StatusMapper;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * A database that cannot be reached is an outage the caller should retry (UNAVAILABLE naming the
 * database), not an internal error. The failure here is the real one the driver raises.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class OutageTest {
    @Inject
    Vertx vertx;

    @Test
    void aRefusedDatabaseConnectionIsUnavailableAndSaysToRetry() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Pool nowhere = PgPool.pool(
                vertx,
                new PgConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(closedPort)
                        .setDatabase("autolab_auth")
                        .setUser("postgres")
                        .setPassword("postgres"),
                new PoolOptions());
        try {
            Throwable failure = assertThrows(
                    Throwable.class,
                    () -> nowhere.query("SELECT 1").execute().await().atMost(Duration.ofSeconds(10)));
            Status status = StatusMapper.toStatus(failure).getStatus();
            assertEquals(Status.Code.UNAVAILABLE, status.getCode(), String.valueOf(failure));
            assertEquals(
                    "auth-service cannot reach its database right now; try again in a few seconds",
                    status.getDescription());
        } finally {
            nowhere.closeAndAwait();
        }
    }

    @Test
    void aBugIsStillInternalWithAnIncidentId() {
        Status status = StatusMapper.toStatus(new IllegalStateException("boom")).getStatus();
        assertEquals(Status.Code.INTERNAL, status.getCode());
        assertEquals(
                true,
                status.getDescription().matches("internal error \\(incident [0-9a-f]{8}\\); .*"),
                status.getDescription());
    }
}
