package dev.autolab.common.error;

import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Tells an outage (a dependency that cannot be reached right now) from a bug, so that callers get
 * UNAVAILABLE and know to retry, not INTERNAL. Recognised by the failure's cause chain, since the
 * drivers (Vert.x SQL client, Hibernate Reactive, Netty) wrap the socket error in their own types.
 */
final class Outages {
    /** Vert.x and SQL client types that mean "the connection is gone", matched by name (no compile-time dependency). */
    private static final Set<String> CONNECTION_LOST = Set.of(
            "io.vertx.sqlclient.ClosedConnectionException",
            "io.vertx.core.net.impl.ConnectionBase$ClosedException",
            "io.vertx.core.http.HttpClosedException",
            "io.netty.channel.ConnectTimeoutException",
            "io.vertx.pgclient.impl.PgSocketConnection$ClosedException");

    private Outages() {}

    /** Whether {@code failure} says the database could not be reached (rather than refusing a statement). */
    static boolean isDatabaseOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException
                    || t instanceof ClosedChannelException
                    || CONNECTION_LOST.contains(t.getClass().getName())) {
                return true;
            }
            String sqlState = sqlState(t);
            // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many
            // connections.
            if (sqlState != null
                    && (sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("53300"))) {
                return true;
            }
            String message = t.getMessage();
            if (message != null
                    && (message.contains("Connection refused")
                            || message.contains("Pool closed")
                            || message.contains("Connection is not active")
                            || message.contains("connection was closed"))) {
                return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of a Vert.x {@code DatabaseException} or a JDBC {@code SQLException}, else null. */
    private static String sqlState(Throwable t) {
        if (t instanceof java.sql.SQLException sql) {
            return sql.getSQLState();
        }
        try {
            Method getter = t.getClass().getMethod("getSqlState");
            Object state = getter.invoke(t);
            return state instanceof String s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException notADatabaseException) {
            return null;
        }
    }
}
