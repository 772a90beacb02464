package dev.autolab.cli.config;

/** Host addresses as people type them ({@code localhost:8080}) and as they are stored. */
public final class Hosts {
    public static final String DEFAULT = "http://localhost:8080";

    private Hosts() {}

    public static String normalize(String host) {
        String h = host.trim();
        if (!h.startsWith("http://") && !h.startsWith("https://")) {
            h = "http://" + h;
        }
        while (h.endsWith("/")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }
}
