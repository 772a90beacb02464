package dev.autolab.cli.command;

import dev.autolab.cli.CliException;
import dev.autolab.cli.ExitCodes;

/** The command line is wrong or incomplete, or there is no login to use (exit code 2). */
public class UsageError extends CliException {
    public UsageError(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return ExitCodes.USAGE;
    }
}
