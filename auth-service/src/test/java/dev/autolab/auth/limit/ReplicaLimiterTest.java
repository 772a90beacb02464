package dev.autolab.auth.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.auth.limit.AttemptLimiter.Counter;
import dev.autolab.testing.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * Two limiters on two connection pools — two replicas, as far as the database can tell — share one
 * count: a burst split between them is cut at the same number as a burst at one.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class ReplicaLimiterTest {
    private static final Limit FIVE =
            new Limit("test", 5, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(15));

    @Inject
    AttemptLimiter replicaA;

    @Inject
    Vertx vertx;

    @Inject
    Clock clock;

    private Pool otherPool;
    private AttemptLimiter replicaB;

    @BeforeEach
    void secondReplica() {
        var config = ConfigProvider.getConfig();
        PgConnectOptions options = PgConnectOptions.fromUri(
                        config.getValue("quarkus.datasource.reactive.url", String.class))
                .setUser(config.getValue("quarkus.datasource.username", String.class))
                .setPassword(config.getValue("quarkus.datasource.password", String.class));
        otherPool = PgPool.pool(vertx, options, new PoolOptions().setMaxSize(10));
        replicaB = new AttemptLimiter(otherPool, clock);
    }

    @AfterEach
    void closePool() {
        otherPool.closeAndAwait();
    }

    @Test
    void fortyReservationsAcrossTwoReplicasAdmitFive() {
        String key = UUID.randomUUID().toString();
        ConcurrentLinkedQueue<Boolean> admitted = new ConcurrentLinkedQueue<>();
        List<Uni<Void>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            AttemptLimiter replica = i % 2 == 0 ? replicaA : replicaB;
            all.add(replica.reserve("tries", List.of(new Counter(FIVE, key)))
                    .onItem()
                    .invoke(() -> admitted.add(true))
                    .onFailure()
                    .recoverWithItem(refused -> {
                        admitted.add(false);
                        return null;
                    }));
        }
        Uni.join().all(all).andFailFast().await().atMost(Duration.ofSeconds(30));
        assertEquals(5, admitted.stream().filter(b -> b).count(), admitted.toString());
        assertEquals(35, admitted.stream().filter(b -> !b).count());
    }

    @Test
    void aRefusedReservationCountsOnNoCounter() {
        String free = UUID.randomUUID().toString();
        String busy = UUID.randomUUID().toString();
        Limit one = new Limit("test1", 1, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(15));
        replicaA.reserve("tries", List.of(new Counter(one, busy))).await().atMost(Duration.ofSeconds(10));
        // busy now waits; a reservation on both must leave `free` untouched.
        Uni<Void> both = replicaB.reserve("tries", List.of(new Counter(FIVE, free), new Counter(one, busy)));
        org.junit.jupiter.api.Assertions.assertThrows(
                RuntimeException.class, () -> both.await().atMost(Duration.ofSeconds(10)));
        assertEquals(
                0,
                otherPool
                        .preparedQuery("SELECT 1 FROM attempt_limits WHERE key = $1")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of("test:" + free))
                        .await()
                        .atMost(Duration.ofSeconds(10))
                        .rowCount());
    }
}
