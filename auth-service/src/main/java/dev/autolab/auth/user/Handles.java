package dev.autolab.auth.user;

import java.util.regex.Pattern;

import dev.autolab.common.error.Errors;

/** The shape of a user handle: {@code ^[a-z][a-z0-9-]{1,38}$}. */
public final class Handles {
    private static final Pattern HANDLE = Pattern.compile("^[a-z][a-z0-9-]{1,38}$");

    private Handles() {}

    public static String requireValid(String handle) {
        if (handle == null || handle.isEmpty()) {
            throw Errors.invalidArgument("a handle is required");
        }
        if (!HANDLE.matcher(handle).matches()) {
            throw Errors.invalidArgument("\"" + abbreviate(handle) + "\" is not a valid handle: use 2-39 characters, "
                    + "lowercase letters, digits and '-', starting with a letter");
        }
        return handle;
    }

    public static boolean isValid(String handle) {
        return handle != null && HANDLE.matcher(handle).matches();
    }

    /** Echo user input in messages: cut to a readable length, control characters escaped. */
    public static String abbreviate(String input) {
        return dev.autolab.common.text.Text.echo(input);
    }
}
