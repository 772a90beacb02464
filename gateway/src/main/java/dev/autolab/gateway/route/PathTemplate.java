package dev.autolab.gateway.route;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code google.api.http} path template: literal segments and variables, each variable
 * {@code {field}} (one segment) or {@code {field=pattern}} where the pattern is made of literals,
 * {@code *} (one segment) and a final {@code **} (the rest); e.g. {@code /v1/tokens/{ref}}, or a project path
 * whose variable spans two segments (owner and name).
 */
public final class PathTemplate {
    private record Segment(String literal, String variable, boolean rest) {}

    private final String source;
    private final List<Segment> segments;
    private final boolean endsWithRest;

    private PathTemplate(String source, List<Segment> segments) {
        this.source = source;
        this.segments = segments;
        this.endsWithRest =
                !segments.isEmpty() && segments.get(segments.size() - 1).rest();
    }

    public static PathTemplate parse(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': " + template);
        }
        List<Segment> segments = new ArrayList<>();
        int i = 1;
        while (i <= template.length()) {
            if (i < template.length() && template.charAt(i) == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed variable in " + template);
                }
                String inside = template.substring(i + 1, close);
                int eq = inside.indexOf('=');
                String name = eq < 0 ? inside : inside.substring(0, eq);
                String pattern = eq < 0 ? "*" : inside.substring(eq + 1);
                for (String part : pattern.split("/")) {
                    switch (part) {
                        case "*" -> segments.add(new Segment(null, name, false));
                        case "**" -> segments.add(new Segment(null, name, true));
                        default -> segments.add(new Segment(part, name, false));
                    }
                }
                i = close + 2;
            } else {
                int slash = template.indexOf('/', i);
                int end = slash < 0 ? template.length() : slash;
                String literal = template.substring(i, end);
                if (literal.equals("*") || literal.equals("**")) {
                    segments.add(new Segment(null, null, literal.equals("**")));
                } else {
                    segments.add(new Segment(literal, null, false));
                }
                i = end + 1;
            }
        }
        for (int s = 0; s < segments.size() - 1; s++) {
            if (segments.get(s).rest()) {
                throw new IllegalArgumentException("'**' must be last in " + template);
            }
        }
        return new PathTemplate(template, List.copyOf(segments));
    }

    /** The variables bound by matching {@code path} (already split off its query), or null. */
    public Map<String, String> match(String path) {
        return path.startsWith("/") ? match(split(path)) : null;
    }

    /** A path's segments (after the leading slash), split once for every template it is matched against. */
    static String[] split(String path) {
        return path.substring(1).split("/", -1);
    }

    /** The variables bound by matching the path's segments, or null. */
    Map<String, String> match(String[] parts) {
        if (!endsWithRest && parts.length != segments.size()) {
            return null; // most templates are ruled out here, before any allocation
        }
        Map<String, List<String>> bound = new LinkedHashMap<>();
        int p = 0;
        for (Segment segment : segments) {
            if (segment.rest()) {
                if (p >= parts.length) {
                    return null;
                }
                for (; p < parts.length; p++) {
                    if (!bind(bound, segment, parts[p])) {
                        return null;
                    }
                }
                continue;
            }
            if (p >= parts.length || parts[p].isEmpty()) {
                return null;
            }
            String decoded = parts[p].indexOf('%') < 0
                    ? parts[p]
                    : URLDecoder.decode(parts[p].replace("+", "%2B"), StandardCharsets.UTF_8);
            if (segment.literal() != null && !segment.literal().equals(decoded)) {
                return null;
            }
            if (!bind(bound, segment, decoded)) {
                return null;
            }
            p++;
        }
        if (p != parts.length) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        bound.forEach((name, list) -> values.put(name, String.join("/", list)));
        return values;
    }

    private static boolean bind(Map<String, List<String>> bound, Segment segment, String value) {
        if (segment.variable() != null) {
            if (value.isEmpty() || value.contains("/")) {
                return false;
            }
            bound.computeIfAbsent(segment.variable(), k -> new ArrayList<>()).add(value);
        }
        return true;
    }

    /** The variables, in path order (for documents and tests: {@code project}, {@code handle}). */
    public List<String> variables() {
        List<String> names = new ArrayList<>();
        for (Segment s : segments) {
            if (s.variable() != null && !names.contains(s.variable())) {
                names.add(s.variable());
            }
        }
        return names;
    }

    /**
     * An example value of a variable that this template matches: its pattern with each wildcard made a word
     * ({@code project=*}{@code /*} gives {@code project-1/project-2}).
     */
    public String exampleValue(String variable) {
        List<String> parts = new ArrayList<>();
        for (Segment s : segments) {
            if (variable.equals(s.variable())) {
                parts.add(s.literal() != null ? s.literal() : variable + "-" + (parts.size() + 1));
            }
        }
        return String.join("/", parts);
    }

    /** The path with each variable's segments replaced by its value (which may span segments, or be empty). */
    public String expand(Map<String, String> values) {
        StringBuilder path = new StringBuilder();
        String previous = null;
        for (Segment s : segments) {
            if (s.variable() != null) {
                if (!s.variable().equals(previous)) {
                    path.append('/').append(values.getOrDefault(s.variable(), ""));
                }
            } else {
                path.append('/').append(s.literal() != null ? s.literal() : s.rest() ? "any/path" : "any");
            }
            previous = s.variable();
        }
        return path.toString();
    }

    /** Fixed segments before any variable: more of them makes a route more specific. */
    int literalPrefixLength() {
        int n = 0;
        for (Segment s : segments) {
            if (s.literal() == null || s.variable() != null) {
                break;
            }
            n++;
        }
        return n;
    }

    @Override
    public String toString() {
        return source;
    }
}
