package dev.autolab.auth.limit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.autolab.common.error.Errors;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Counts attempts in PostgreSQL, so that every replica sees the same counts, and reserves each
 * attempt before the work it guards is done: a burst of parallel guesses is cut at the configured
 * number, not at however many passed a check before the first failure was written.
 *
 * <p>A reservation takes all of an attempt's counters (per handle, per address…) in one transaction,
 * in key order (no deadlocks between two reservations); if any of them says wait, none is counted.
 */
@ApplicationScoped
public class AttemptLimiter {
    /**
     * Counts the attempt unless the key is waiting; returns the new count, or no row when waiting.
     * A free attempt leaves {@code next_allowed_at} in the past rather than setting it to "now": with
     * parallel requests, another one's "now" may be a little earlier and must not read as a wait.
     */
    private static final String RESERVE = "INSERT INTO attempt_limits AS l (key, attempts, next_allowed_at, updated_at)"
            + " VALUES ($1, 1, $2, $3)"
            + " ON CONFLICT (key) DO UPDATE SET"
            + "   attempts = CASE WHEN l.updated_at < $4 THEN 1 ELSE l.attempts + 1 END,"
            + "   next_allowed_at = CASE"
            + "     WHEN (CASE WHEN l.updated_at < $4 THEN 1 ELSE l.attempts + 1 END) < $5 THEN l.next_allowed_at"
            + "     ELSE $3 + make_interval(secs => least($7 * power(2,"
            + "       least((CASE WHEN l.updated_at < $4 THEN 1 ELSE l.attempts + 1 END) - $5, 20)), $6))"
            + "   END,"
            + "   updated_at = $3"
            + " WHERE l.next_allowed_at <= $3"
            + " RETURNING attempts";

    private static final OffsetDateTime LONG_AGO = OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final String WAITING_UNTIL = "SELECT next_allowed_at FROM attempt_limits WHERE key = $1";
    private static final String FORGET = "DELETE FROM attempt_limits WHERE key = $1";
    private static final String REFUND =
            "UPDATE attempt_limits SET attempts = greatest(attempts - 1, 0) WHERE key = $1";
    private static final String SWEEP = "DELETE FROM attempt_limits WHERE updated_at < $1 AND next_allowed_at < $2";

    private final Pool pool;
    private final Clock clock;

    /** One per replica: every replica's limiter shares the counters through the database. */
    @Inject
    public AttemptLimiter(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** One counter an attempt is made against. */
    public record Counter(Limit limit, String key) {
        public Counter {
            key = limit.name() + ":" + key;
        }
    }

    /**
     * Counts one attempt on every counter, or on none: fails with RESOURCE_EXHAUSTED, saying how long
     * to wait and naming {@code what}, when any counter asks to wait.
     */
    public Uni<Void> reserve(String what, List<Counter> counters) {
        Instant now = clock.instant();
        List<Counter> ordered =
                counters.stream().sorted(Comparator.comparing(Counter::key)).toList();
        return pool.withTransaction(conn -> reserveEach(conn, ordered, 0, now))
                .onFailure(Waiting.class)
                .recoverWithItem(waiting -> ((Waiting) waiting).key)
                .chain(blockedKey -> {
                    if (blockedKey == null) {
                        return Uni.createFrom().voidItem();
                    }
                    return pool.preparedQuery(WAITING_UNTIL)
                            .execute(Tuple.of(blockedKey))
                            .map(rows -> {
                                Instant until = rows.iterator().hasNext()
                                        ? rows.iterator()
                                                .next()
                                                .getOffsetDateTime("next_allowed_at")
                                                .toInstant()
                                        : now;
                                long seconds = Math.max(
                                        1, (Duration.between(now, until).toMillis() + 999) / 1000);
                                throw Errors.resourceExhausted("too many " + what + "; try again in " + seconds + " s");
                            });
                });
    }

    /** Runs the reservations in order; the first that must wait fails the transaction, which rolls it back. */
    private Uni<String> reserveEach(SqlConnection conn, List<Counter> counters, int index, Instant now) {
        if (index == counters.size()) {
            return Uni.createFrom().nullItem();
        }
        Counter counter = counters.get(index);
        Limit limit = counter.limit();
        Duration firstWait = limit.delayAfter(1);
        Tuple args = Tuple.from(List.of(
                counter.key(),
                firstWait.isZero() ? LONG_AGO : at(now.plus(firstWait)),
                at(now),
                at(now.minus(limit.forgetAfter())),
                limit.freeAttempts(),
                seconds(limit.maxDelay()),
                seconds(limit.firstDelay())));
        return conn.preparedQuery(RESERVE).execute(args).chain((RowSet<Row> rows) -> {
            if (!rows.iterator().hasNext()) {
                return Uni.createFrom().failure(new Waiting(counter.key()));
            }
            return reserveEach(conn, counters, index + 1, now);
        });
    }

    /** Forgets a counter (e.g. a handle's failures once its owner signs in). */
    public Uni<Void> forget(Counter counter) {
        return pool.preparedQuery(FORGET).execute(Tuple.of(counter.key())).replaceWithVoid();
    }

    /** Gives back one attempt (one that turned out right, on a counter shared by many people). */
    public Uni<Void> refund(Counter counter) {
        return pool.preparedQuery(REFUND).execute(Tuple.of(counter.key())).replaceWithVoid();
    }

    /** Deletes counters idle for longer than the longest limit cares about. */
    public Uni<Integer> sweep(Duration idle) {
        Instant now = clock.instant();
        return pool.preparedQuery(SWEEP)
                .execute(Tuple.of(at(now.minus(idle)), at(now)))
                .map(RowSet::rowCount);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Control flow inside one reservation: this key must wait, so roll back. */
    private static final class Waiting extends RuntimeException {
        final String key;

        Waiting(String key) {
            super(null, null, false, false);
            this.key = key;
        }
    }
}
