package dev.autolab.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import dev.autolab.cli.command.Terminal;

/** Runs {@code autolab} in process with its own environment and a fixed clock, capturing stdout and stderr. */
final class FakeTerminal {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    static {
        // The picocli settings of a real run (its main sets them), so that tests see what users do.
        Autolab.tunePicocli();
    }

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final Map<String, String> env = new HashMap<>();

    FakeTerminal env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal term = new Terminal(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.copyOf(env),
                Clock.fixed(NOW, ZoneOffset.UTC));
        int exit = Autolab.run(term, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
