package dev.autolab.cli.serve;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;

/**
 * What the node commands take from the machine they run on, handed in rather than reached for, so
 * that tests give their own: the clock, the file-system root ({@code /proc/meminfo},
 * {@code /etc/machine-id}), whether a person watches the terminal, how to wait, the signals, and
 * randomness for backoff jitter. Nothing here touches gRPC: every command builds one. {@code unicode}:
 * whether the terminal's encoding can show {@code ●} and {@code ×} (not under the POSIX locale); plain
 * ASCII otherwise.
 */
public record LocalMachine(
        Clock clock, Path root, boolean interactive, boolean unicode, Pacing pacing, Signals signals, Random random) {

    /** Whether stderr's encoding (that of the terminal, else the default) has these characters. */
    static boolean canShow(String text) {
        String encoding = System.getProperty("sun.stderr.encoding");
        try {
            Charset charset = encoding != null ? Charset.forName(encoding) : Charset.defaultCharset();
            return charset.newEncoder().canEncode(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static LocalMachine system() {
        return new LocalMachine(
                Clock.systemDefaultZone(),
                Path.of("/"),
                System.console() != null,
                canShow("●·×"),
                Pacing.real(),
                Signals.shutdownHook(),
                new SecureRandom());
    }
}
