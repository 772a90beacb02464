package dev.autolab.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The login box, and a spinner only where a person watches stderr. */
class TerminalTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Terminal terminal(boolean interactive, boolean unicode) {
        return new Terminal(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                Clock.systemUTC(),
                interactive,
                unicode);
    }

    @Test
    void aBoxAroundTheLines() {
        terminal(false, true).box(List.of("Open  https://h/device?code=ABCD-EFGH", "Code  ABCD-EFGH"));
        String open = "Open  https://h/device?code=ABCD-EFGH"; // 37 characters
        assertEquals(
                "┌" + "─".repeat(39) + "┐\n"
                        + "│ " + open + " │\n"
                        + "│ Code  ABCD-EFGH" + " ".repeat(37 - 15) + " │\n"
                        + "└" + "─".repeat(39) + "┘\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anAsciiBoxWhereTheEncodingHasNoBoxDrawing() {
        terminal(false, false).box(List.of("Code  AB\u001bCD"));
        assertEquals(
                "+----------------+\n| Code  AB\\x1bCD |\n+----------------+\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noSpinnerWhenStderrIsNotATerminal() {
        Terminal term = terminal(false, true);
        term.spin("waiting");
        term.spin("waiting");
        term.endTicks();
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSpinnerRewritesOneLineInPlace() {
        Terminal term = terminal(true, false);
        term.spin("waiting");
        term.spin("waiting");
        term.endTicks();
        assertEquals("\r\u001b[2K| waiting\r\u001b[2K/ waiting\r\u001b[2K", err.toString(StandardCharsets.UTF_8));
    }
}
