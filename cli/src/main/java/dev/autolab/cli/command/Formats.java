package dev.autolab.cli.command;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** How values look in tables and messages. */
public final class Formats {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private Formats() {}

    /** {@code TOKEN_KIND_PAT} → {@code pat}, {@code ROLE_OWNER} → {@code owner}. */
    public static String enumName(JsonNode node, String prefix, String none) {
        String value = node.asText("");
        if (value.isEmpty() || value.endsWith("UNSPECIFIED")) {
            return none;
        }
        return Sanitize.line(
                value.startsWith(prefix) ? value.substring(prefix.length()).toLowerCase(Locale.ROOT) : value);
    }

    public static String ago(JsonNode timestamp, String never) {
        return ago(timestamp, never, Instant.now());
    }

    /** How long before {@code now}: {@code just now}, {@code 5m ago}, {@code 3h ago}, {@code 2d ago}. */
    public static String ago(JsonNode timestamp, String never, Instant now) {
        if (timestamp.isMissingNode() || timestamp.asText().isEmpty()) {
            return never;
        }
        Instant at = instant(timestamp);
        if (at == null) {
            return "?";
        }
        Duration d = Duration.between(at, now);
        if (d.toMinutes() < 1) {
            return "just now";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + "m ago";
        }
        if (d.toDays() < 1) {
            return d.toHours() + "h ago";
        }
        return d.toDays() + "d ago";
    }

    public static String day(JsonNode timestamp, String none) {
        if (timestamp.isMissingNode() || timestamp.asText().isEmpty()) {
            return none;
        }
        Instant at = instant(timestamp);
        return at == null ? "?" : DAY.format(at);
    }

    /** A timestamp from the server, or null when it is not one (never an exception that would echo it raw). */
    static Instant instant(JsonNode timestamp) {
        try {
            return Instant.parse(timestamp.asText());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    public static String shortId(JsonNode id) {
        String text = Sanitize.line(id.asText(""));
        return text.length() >= 8 ? text.substring(0, 8) : text;
    }

    /** A server string for one line of output (a name, a handle, a reason), control characters escaped. */
    public static String text(JsonNode value) {
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
