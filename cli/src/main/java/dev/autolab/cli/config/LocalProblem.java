package dev.autolab.cli.config;

import dev.autolab.cli.CliException;
import dev.autolab.cli.ExitCodes;

/** Something on this machine is wrong: a file that cannot be read or written, or is not owner-only (exit 4). */
public final class LocalProblem extends CliException {
    public LocalProblem(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return ExitCodes.LOCAL;
    }
}
