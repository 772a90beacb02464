package dev.autolab.cli.command;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.autolab.cli.json.Json;

/** How values look in tables and messages. */
public final class Formats {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private Formats() {}

    /** {@code TOKEN_KIND_PAT} → {@code pat}, {@code ROLE_OWNER} → {@code owner}. */
    public static String enumName(Json node, String prefix, String none) {
        String value = node.asText("");
        if (value.isEmpty() || value.endsWith("UNSPECIFIED")) {
            return none;
        }
        return Sanitize.line(
                value.startsWith(prefix) ? value.substring(prefix.length()).toLowerCase(Locale.ROOT) : value);
    }

    /**
     * How long before {@code now}, as people say it: {@code just now}, {@code 1 minute ago},
     * {@code 3 hours ago}, {@code 3 days ago}, {@code 2 months ago}, {@code 1 year ago}; a time
     * ahead of the clock (a skewed server) is {@code just now}. {@code --json} keeps the exact time.
     */
    public static String ago(Json timestamp, String never, Instant now) {
        if (timestamp.isMissingNode() || timestamp.asText().isEmpty()) {
            return never;
        }
        Instant at = instant(timestamp);
        if (at == null) {
            return "?";
        }
        Duration d = Duration.between(at, now);
        long minutes = d.toMinutes();
        if (minutes < 1) {
            return "just now";
        }
        if (minutes < 60) {
            return count(minutes, "minute");
        }
        if (d.toHours() < 24) {
            return count(d.toHours(), "hour");
        }
        long days = d.toDays();
        if (days < 30) {
            return count(days, "day");
        }
        if (days < 365) {
            return count(days / 30, "month");
        }
        return count(days / 365, "year");
    }

    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s") + " ago";
    }

    public static String day(Json timestamp, String none) {
        if (timestamp.isMissingNode() || timestamp.asText().isEmpty()) {
            return none;
        }
        Instant at = instant(timestamp);
        return at == null ? "?" : DAY.format(at);
    }

    /** A timestamp from the server, or null when it is not one (never an exception that would echo it raw). */
    static Instant instant(Json timestamp) {
        try {
            return Instant.parse(timestamp.asText());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    public static String shortId(Json id) {
        String text = Sanitize.line(id.asText(""));
        return text.length() >= 8 ? text.substring(0, 8) : text;
    }

    /** A server string for one line of output (a name, a handle, a reason), control characters escaped. */
    public static String text(Json value) {
        return Sanitize.line(value.asText(""));
    }

    /** Left-aligned columns, two spaces apart; each cell on one line, control characters escaped. */
    public static String table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        for (List<String> row : rows) {
            all.add(row.stream().map(Sanitize::line).toList());
        }
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
