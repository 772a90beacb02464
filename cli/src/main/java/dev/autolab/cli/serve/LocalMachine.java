package dev.autolab.cli.serve;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;

/**
 * What the node commands take from the machine they run on, handed in rather than reached for, so
 * that tests give their own: the clock, the file-system root ({@code /proc/meminfo},
 * {@code /etc/machine-id}), whether a person watches the terminal, how to wait, the signals, and
 * randomness for backoff jitter. Nothing here touches gRPC: every command builds one.
 */
public record LocalMachine(Clock clock, Path root, boolean interactive, Pacing pacing, Signals signals, Random random) {

    public static LocalMachine system() {
        return new LocalMachine(
                Clock.systemDefaultZone(),
                Path.of("/"),
                System.console() != null,
                Pacing.real(),
                Signals.shutdownHook(),
                new SecureRandom());
    }
}
