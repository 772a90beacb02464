package dev.autolab.cli.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Host addresses as people type them and as they are stored. A host typed without a scheme is
 * {@code https://}, except a loopback address (a local suite has no certificate): a token must not
 * travel in clear text because someone left out {@code https://} (DESIGN §7).
 */
public final class Hosts {
    public static final String DEFAULT = "http://localhost:8080";

    private Hosts() {}

    public static String normalize(String host) {
        String h = host.trim();
        while (h.endsWith("/")) {
            h = h.substring(0, h.length() - 1);
        }
        String lower = h.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            h = (isLoopback("http://" + h) ? "http://" : "https://") + h;
        } else {
            h = lower.substring(0, lower.indexOf(':')) + h.substring(h.indexOf(':'));
        }
        return h;
    }

    /** Plain http to anything but this machine: the token can be read on the way. */
    public static boolean cleartextToAnotherMachine(String normalized) {
        return normalized.startsWith("http://") && !isLoopback(normalized);
    }

    /**
     * Whether the URL's host is this machine by its address or name ({@code localhost}, 127.0.0.0/8,
     * {@code ::1}); no name is looked up.
     */
    public static boolean isLoopback(String url) {
        String name = hostOf(url);
        if (name == null) {
            return false;
        }
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.equals("localhost") || name.endsWith(".localhost") || name.equals("::1")) {
            return true;
        }
        return name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** The host name of a URL, lower case, or null when it has none. */
    public static String hostOf(String url) {
        try {
            String host = new URI(url).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** {@code scheme://host[:port]} of a URL, with the scheme's default port left out; null when not a URL. */
    public static String originOf(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort =
                    port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
