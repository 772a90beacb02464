package dev.autolab.keys.key;

import java.util.regex.Pattern;

import dev.autolab.common.error.Errors;

/** What a key name may be, and how user input is quoted back safely in messages. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    /** Binding to this word means "the platform key", so no key may be called that. */
    public static final String PLATFORM = "platform";

    private Names() {}

    public static void requireValid(String name) {
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw Errors.invalidArgument("a key name cannot contain control characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw Errors.invalidArgument("\"" + printable(name)
                    + "\" is not a valid key name: use 1-64 letters, digits, " + "'.', '_' or '-'");
        }
        if (name.equals(PLATFORM)) {
            throw Errors.invalidArgument("\"platform\" is reserved (`autolab keys use platform` goes back to the "
                    + "platform key); pick another name");
        }
    }

    /** User input for a message: control characters shown as '?', and at most 64 characters. */
    public static String printable(String input) {
        StringBuilder out = new StringBuilder();
        input.codePoints().limit(64).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return input.codePointCount(0, input.length()) > 64 ? out + "..." : out.toString();
    }
}
