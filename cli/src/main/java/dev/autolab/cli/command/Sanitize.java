package dev.autolab.cli.command;

/**
 * What the CLI prints of a server's strings. A server (or anyone who can name a token or a project)
 * must not be able to drive the terminal: clear it, move the cursor, rewrite a line with a carriage
 * return, set the window title, or reorder text with bidirectional controls. Control characters are
 * shown as visible escapes instead: C0, DEL and C1 as a backslash, x and two hex digits (ESC is
 * shown as the four characters {@code \x1b}); line and paragraph separators and bidirectional
 * controls (U+2028, U+202E...) as a backslash, u and four hex digits.
 */
public final class Sanitize {
    private Sanitize() {}

    /** For one line: every control character escaped, newlines and tabs included. */
    public static String line(String s) {
        return escape(s, false);
    }

    /** For text that may span lines: as {@link #line}, but newlines and tabs are kept. */
    public static String text(String s) {
        return escape(s, true);
    }

    /** Whether a character is one the terminal would act on rather than show. */
    public static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || isBidi(c);
    }

    private static boolean isBidi(int c) {
        return c == 0x061c
                || c == 0x200e
                || c == 0x200f
                || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069);
    }

    private static String escape(String s, boolean multiLine) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean keep = !isControl(c) || (multiLine && (c == '\n' || c == '\t'));
            if (keep) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            out.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
        }
        return out == null ? s : out.toString();
    }
}
