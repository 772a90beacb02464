package dev.autolab.auth.project;

import java.util.regex.Pattern;

import dev.autolab.auth.user.Handles;
import dev.autolab.common.error.Errors;

/** A project's full name, {@code owner/name}. */
public record ProjectName(String owner, String name) {
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");

    public static ProjectName parse(String full) {
        if (full == null || full.isBlank()) {
            throw Errors.invalidArgument("a project is required, as owner/name (e.g. alice/nanochat)");
        }
        int slash = full.indexOf('/');
        if (slash < 0 || slash != full.lastIndexOf('/')) {
            throw Errors.invalidArgument("\"" + Handles.abbreviate(full) + "\" is not a project: write owner/name, "
                    + "e.g. alice/nanochat");
        }
        return new ProjectName(
                Handles.requireValid(full.substring(0, slash)), requireValidName(full.substring(slash + 1)));
    }

    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw Errors.invalidArgument("\"" + Handles.abbreviate(String.valueOf(name)) + "\" is not a valid project "
                    + "name: use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    @Override
    public String toString() {
        return owner + "/" + name;
    }
}
