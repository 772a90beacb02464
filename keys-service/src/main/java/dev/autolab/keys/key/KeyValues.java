package dev.autolab.keys.key;

import dev.autolab.common.error.Errors;

/** What a key value may be; messages never quote it. */
public final class KeyValues {
    static final int MAX_LENGTH = 4096;

    private KeyValues() {}

    /** The value without surrounding whitespace (a pasted newline is not part of a key). */
    public static String requireValid(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw Errors.invalidArgument(
                    "the key value is empty: paste the provider's API key at the prompt, " + "or pipe it on stdin");
        }
        if (v.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
            throw Errors.invalidArgument("the key value contains spaces or control characters; paste only the key");
        }
        if (v.length() > MAX_LENGTH) {
            throw Errors.invalidArgument(
                    "the key value is longer than " + MAX_LENGTH + " characters; paste only the key");
        }
        return v;
    }

    /** The last 4 characters, which listings show (DESIGN §4); fewer for a very short value. */
    public static String hint(String value) {
        int keep = value.length() >= 12 ? 4 : Math.max(0, value.length() / 4);
        return value.substring(value.length() - keep);
    }
}
