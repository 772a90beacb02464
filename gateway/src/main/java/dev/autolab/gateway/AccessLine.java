package dev.autolab.gateway;

/**
 * One access-log line: {@code GET /v1/whoami 200 1.3ms request=<id>}. Built by hand rather than with a format
 * string: {@code %.1f} went through java.util.Formatter and the locale's number symbols on every request.
 */
final class AccessLine {
    private AccessLine() {}

    static String of(String route, int status, long nanos, String requestId) {
        long tenths = (nanos + 50_000) / 100_000;
        return new StringBuilder(route.length() + requestId.length() + 32)
                .append(route)
                .append(' ')
                .append(status)
                .append(' ')
                .append(tenths / 10)
                .append('.')
                .append(tenths % 10)
                .append("ms request=")
                .append(requestId)
                .toString();
    }
}
