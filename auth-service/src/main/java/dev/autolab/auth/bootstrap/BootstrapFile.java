package dev.autolab.auth.bootstrap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.autolab.auth.user.Handles;
import dev.autolab.auth.user.UserService;

/**
 * The operator's list of first users ({@code AUTOLAB_BOOTSTRAP_USERS_FILE}): one {@code handle:password}
 * per line; blank lines and lines starting with {@code #} are ignored; the password is everything
 * after the first colon. A bad line is an {@link IllegalArgumentException} naming its number and the
 * rule it breaks, and never any part of the line: a password typed in the wrong place must not reach a log.
 */
public final class BootstrapFile {
    /** One user to create, with the line it came from. */
    public record Entry(int line, String handle, String password) {
        @Override
        public String toString() {
            return "Entry[line=" + line + ", handle=" + handle + "]"; // never the password
        }
    }

    private BootstrapFile() {}

    /** The entries of the file's lines, in order; throws on the first bad line. */
    public static List<Entry> parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1); // a file written on Windows
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw bad(number, "expected handle:password");
            }
            String handle = line.substring(0, colon);
            String password = line.substring(colon + 1);
            if (!Handles.isValid(handle)) {
                throw bad(
                        number,
                        "the handle is not valid: use 2-39 characters, lowercase letters, digits and '-', "
                                + "starting with a letter");
            }
            if (password.length() < UserService.MIN_PASSWORD) {
                throw bad(number, "the password must have at least " + UserService.MIN_PASSWORD + " characters");
            }
            if (password.length() > UserService.MAX_PASSWORD) {
                throw bad(number, "the password must have at most " + UserService.MAX_PASSWORD + " characters");
            }
            Integer earlier = seen.putIfAbsent(handle, number);
            if (earlier != null) {
                throw bad(number, "the handle \"" + handle + "\" is already given on line " + earlier);
            }
            entries.add(new Entry(number, handle, password));
        }
        return entries;
    }

    private static IllegalArgumentException bad(int line, String rule) {
        return new IllegalArgumentException("line " + line + ": " + rule);
    }
}
