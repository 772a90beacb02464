package dev.autolab.common.text;

import java.util.Locale;

/**
 * Echoing people's input safely: in messages (which end up on terminals and in logs) a value is cut
 * to a readable length and its control characters are shown as escapes, so input can neither flood
 * a message nor rewrite a terminal.
 */
public final class Text {
    private static final int ECHO_LIMIT = 40;

    private Text() {}

    /** {@code input} cut to 40 characters, control characters escaped ({@code \u001b} → {@code \x1b}). */
    public static String echo(String input) {
        if (input == null) {
            return "";
        }
        boolean cut = input.codePointCount(0, input.length()) > ECHO_LIMIT;
        String head = cut ? input.substring(0, input.offsetByCodePoints(0, ECHO_LIMIT)) : input;
        return escapeControls(head) + (cut ? "…" : "");
    }

    /**
     * {@code input} as {@link #echo} shows it, and then every code point that is not {@link #isPrintable} (such as
     * U+202E, invisible formatting that reverses what a terminal shows) as a {@code \\uXXXX} escape too: for
     * echoing a value refused for not being printable.
     */
    public static String echoPrintable(String input) {
        StringBuilder out = new StringBuilder();
        echo(input)
                .codePoints()
                .forEach(c ->
                        out.append(isPrintable(c) ? Character.toString(c) : String.format(Locale.ROOT, "\\u%04x", c)));
        return out.toString();
    }

    /** Control characters (C0, DEL, C1) and line/paragraph separators as visible escapes. */
    public static String escapeControls(String s) {
        if (!hasControl(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c)) {
                out.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether {@code s} holds a character that has no business in a name or a one-line field. */
    public static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }

    /**
     * Whether a code point may stand in a name people read (a node's name, a hostname): visible
     * characters and the plain space, but no control, invisible formatting (such as U+202E, which
     * reverses what a terminal shows), separator, surrogate, private-use or unassigned one.
     */
    public static boolean isPrintable(int codePoint) {
        if (codePoint != ' ' && Character.isWhitespace(codePoint)) {
            return false;
        }
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED -> false;
            default -> !Character.isSpaceChar(codePoint) || codePoint == ' ';
        };
    }
}
