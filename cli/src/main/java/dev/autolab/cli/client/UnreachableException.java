package dev.autolab.cli.client;

import dev.autolab.cli.CliException;
import dev.autolab.cli.ExitCodes;

/** The host could not be reached at all (exit code 3). */
public final class UnreachableException extends CliException {
    public UnreachableException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return ExitCodes.UNREACHABLE;
    }
}
