package dev.autolab.cli.client;

/** The host could not be reached at all (exit code 3). */
public final class UnreachableException extends RuntimeException {
    public UnreachableException(String message) {
        super(message, null, false, false);
    }
}
