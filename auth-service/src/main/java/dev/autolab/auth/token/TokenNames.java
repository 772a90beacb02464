package dev.autolab.auth.token;

import java.util.regex.Pattern;

import dev.autolab.auth.user.Handles;
import dev.autolab.common.error.Errors;

/** Token and client names: 1-64 of letters, digits, '.', '_', '@' and '-'. */
final class TokenNames {
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._@-]{1,64}$");

    private TokenNames() {}

    static String requireValid(String name, String what) {
        if (name == null || name.isBlank()) {
            throw Errors.invalidArgument("a " + what + " is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw Errors.invalidArgument("\"" + Handles.abbreviate(name) + "\" is not a valid " + what
                    + ": use 1-64 letters, digits, '.', '_', '@' or '-'");
        }
        return name;
    }
}
