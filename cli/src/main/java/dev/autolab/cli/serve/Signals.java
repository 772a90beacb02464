package dev.autolab.cli.serve;

import java.util.function.IntSupplier;

/**
 * What SIGINT (Ctrl-C) and SIGTERM do while {@code serve} runs. Both go through a JVM shutdown
 * hook: a script's background job ignores SIGINT, and a service manager sends SIGTERM.
 */
@FunctionalInterface
public interface Signals {
    /**
     * Runs {@code onStop} on SIGINT or SIGTERM until the returned handle is closed. {@code onStop}
     * returns the exit code to end the process with once it has shut down cleanly, or -1 to let the
     * JVM end as it would.
     */
    AutoCloseable onStop(IntSupplier onStop);

    static Signals shutdownHook() {
        return onStop -> {
            Thread hook = new Thread(
                    () -> {
                        int code = onStop.getAsInt();
                        if (code >= 0) {
                            System.out.flush();
                            System.err.flush();
                            // The JVM would otherwise exit with 128 + the signal: a clean stop is 0.
                            Runtime.getRuntime().halt(code);
                        }
                    },
                    "autolab-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or about to: nothing to undo.
                }
            };
        };
    }
}
