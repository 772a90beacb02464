package dev.autolab.cli;

import picocli.CommandLine;

/**
 * The one place exceptions become exit codes (DESIGN §7): 0 ok, 1 the server refused, 2 usage
 * error (including "not logged in"), 3 cannot reach the host or the service is unavailable (retry
 * later), 4 a local problem (the credentials file unreadable, unwritable or not owner-only).
 */
public final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int LOCAL = 4;

    @Override
    public int getExitCode(Throwable exception) {
        if (exception instanceof CliException cli) {
            return cli.exitCode();
        }
        if (exception instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        // A bug: picocli prints the stack trace, and the exit code says it is not the user's doing.
        return 70;
    }
}
