package dev.autolab.cli;

/**
 * Every way a command ends on purpose other than success, each with its exit code (DESIGN §7), so
 * that {@link ExitCodes} maps them in one place. Messages say what to do; they may quote the server,
 * so they are escaped before they reach a terminal. No stack trace: the message is the whole story.
 */
public abstract class CliException extends RuntimeException {
    protected CliException(String message) {
        super(message, null, false, false);
    }

    /** The process exit code for this ending. */
    public abstract int exitCode();
}
