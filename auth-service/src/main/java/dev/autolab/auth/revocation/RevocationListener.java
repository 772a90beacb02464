package dev.autolab.auth.revocation;

import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * Hears every revocation committed by any replica: {@code LISTEN} on a dedicated PostgreSQL
 * connection (not one of the pool's), reconnecting with backoff when it drops. Each notification
 * becomes a {@link CredentialsRevoked} event here (this replica's caches) and a push to this
 * replica's {@code WatchRevocations} streams (the other services' caches). While the connection is
 * down the streams are ended, and after it is back this replica's cache starts over, since
 * revocations may have been missed in between.
 */
@Singleton
public class RevocationListener {
    private static final Logger LOG = Logger.getLogger(RevocationListener.class);
    private static final long MAX_BACKOFF_MS = 5_000;
    static final String APPLICATION_NAME = "autolab-revocations";

    @Inject
    Vertx vertx;

    @Inject
    RevocationHub hub;

    @Inject
    Event<CredentialsRevoked> revoked;

    @Inject
    Event<RevocationsMissed> missed;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @ConfigProperty(name = "autolab.auth.revocations.heartbeat", defaultValue = "1s")
    Duration heartbeat;

    private PgSubscriber subscriber;
    private long heartbeatTimer = -1;
    private boolean stopped;
    /** Whether the LISTEN connection is up and has recently delivered something (a revocation or a ping). */
    private volatile boolean live;
    /** When the channel last delivered anything; package-private so a test can make it look silent. */
    volatile long lastHeardNanos = System.nanoTime();

    void start(@Observes StartupEvent ignored) {
        heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), id -> tick());
        connect(0);
    }

    /**
     * Once a heartbeat: pings the channel through the LISTEN connection itself and tells watchers the
     * stream is live only while such pings (this replica's or another's) keep arriving. A connection
     * that died without a word (a half-open socket, a partition) goes silent, and then the streams are
     * ended, so that watchers fall back to their short TTL instead of trusting a deaf replica.
     */
    void tick() {
        PgSubscriber s = subscriber;
        if (s != null && !s.closed() && s.actualConnection() != null) {
            s.actualConnection().query(RevocationNotices.PING).execute();
        }
        if (!live) {
            return;
        }
        if (System.nanoTime() - lastHeardNanos > heartbeat.toNanos() * 3) {
            LOG.warn("the revocation channel went silent; reconnecting, and ending the watchers' streams meanwhile");
            live = false;
            hub.notListening();
            synchronized (this) {
                if (s != null) {
                    s.close();
                }
            }
            vertx.setTimer(backoffMillis(1), id -> connect(1));
            return;
        }
        hub.heartbeat();
    }

    private synchronized void connect(int attempt) {
        if (stopped) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url);
        // Named, so an operator (or a test) can find this connection in pg_stat_activity.
        options.addProperty("application_name", APPLICATION_NAME);
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        PgSubscriber s = PgSubscriber.subscriber(vertx, options).reconnectPolicy(this::lost);
        s.channel(RevocationNotices.CHANNEL).subscribeHandler(v -> listening()).handler(this::onNotice);
        subscriber = s;
        s.connect().onFailure(failure -> {
            if (attempt == 0) {
                LOG.warnf(
                        "cannot LISTEN for revocations (%s); retrying, and until then other replicas'"
                                + " revocations reach this one's cache only through its TTL",
                        failure.getMessage());
            }
            s.close();
            vertx.setTimer(backoffMillis(attempt), id -> connect(attempt + 1));
        });
    }

    /** The subscriber's reconnect policy: called with 0 when the connection drops, then per failed retry. */
    private Long lost(Integer retries) {
        if (retries == 0) {
            LOG.warn("lost the PostgreSQL connection revocations are heard on; reconnecting");
            live = false;
            hub.notListening();
        }
        return stopped ? -1L : backoffMillis(retries);
    }

    private void listening() {
        LOG.info("listening for revocations on PostgreSQL channel " + RevocationNotices.CHANNEL);
        // Whatever was revoked while nobody listened is unknown: forget what is cached.
        missed.fire(new RevocationsMissed());
        lastHeardNanos = System.nanoTime();
        live = true;
        hub.listening();
    }

    private void onNotice(String payload) {
        lastHeardNanos = System.nanoTime();
        CredentialsRevoked notice = RevocationNotices.parse(payload);
        if (notice.isEmpty()) {
            return;
        }
        revoked.fire(notice);
        hub.publish(notice.ids(), notice.reasons());
    }

    private static long backoffMillis(int attempt) {
        return Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 10));
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        // Watchers reconnect to another replica at once instead of waiting for silence.
        hub.notListening();
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
