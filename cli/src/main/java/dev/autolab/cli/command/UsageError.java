package dev.autolab.cli.command;

/** The command line is wrong or incomplete (exit code 2). */
public final class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message, null, false, false);
    }
}
