package dev.autolab.gateway.web;

import io.vertx.core.http.HttpServerRequest;

/**
 * Reads one of the gateway's cookies from a request, refusing a name sent more than once. A browser
 * sends two cookies of one name when another site of the same registrable domain (a sibling subdomain)
 * planted one with a wider Domain or a longer Path ("cookie tossing"); which one the server would see
 * first is the attacker's choice, so neither is believed.
 */
public final class RequestCookies {
    private RequestCookies() {}

    /** The value of the one cookie called {@code name}; null when absent, empty, or sent more than once. */
    public static String single(HttpServerRequest request, String name) {
        String found = null;
        for (String header : request.headers().getAll("cookie")) {
            int start = 0;
            while (start < header.length()) {
                int end = header.indexOf(';', start);
                if (end < 0) {
                    end = header.length();
                }
                String pair = header.substring(start, end).trim();
                start = end + 1;
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    if (found != null) {
                        return null;
                    }
                    found = unquote(pair.substring(eq + 1).trim());
                }
            }
        }
        return found == null || found.isEmpty() ? null : found;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }
}
