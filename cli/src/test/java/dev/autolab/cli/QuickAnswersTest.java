package dev.autolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.autolab.cli.command.WhoamiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code autolab --help} and {@code --version} are answered without picocli ({@link QuickAnswers}),
 * from help text the build renders: it must be, byte for byte, what picocli renders from the live
 * model now, plain and styled, or the two have drifted apart (rebuild: {@code ./mvnw -pl cli
 * process-classes} writes it again).
 */
class QuickAnswersTest {
    private final FakeTerminal terminal = new FakeTerminal();

    @Test
    void theBuiltHelpIsWhatPicocliRendersNow() throws Exception {
        String plain = QuickAnswers.help(false);
        assertNotNull(plain, "the build writes " + QuickAnswers.PLAIN + " next to the classes");
        assertEquals(Autolab.rendered(Ansi.OFF, "--help"), plain);
        String styled = QuickAnswers.help(true);
        assertNotNull(styled, "the build writes " + QuickAnswers.STYLED + " next to the classes");
        assertEquals(Autolab.rendered(Ansi.ON, "--help"), styled);
        assertTrue(styled.contains("\u001B["), "the styled text has ANSI styles");
        assertTrue(plain.startsWith("Usage: autolab [-hV] [--host=URL] COMMAND\n"), plain);
    }

    @Test
    void helpAndVersionAreAnsweredAsPicocliWould() throws Exception {
        String help = Autolab.rendered(Ansi.OFF, "--help");
        for (String option : new String[] {"--help", "-h"}) {
            FakeTerminal.Run run = terminal.run(option);
            assertEquals(0, run.exit(), run.toString());
            assertEquals(help, run.out());
            assertEquals("", run.err());
        }
        String version = Autolab.rendered(Ansi.OFF, "--version");
        assertTrue(version.startsWith("autolab "), version);
        for (String option : new String[] {"--version", "-V"}) {
            FakeTerminal.Run run = terminal.run(option);
            assertEquals(0, run.exit(), run.toString());
            assertEquals(version, run.out());
        }
    }

    @Test
    void anythingElseGoesThroughPicocli() {
        assertNull(QuickAnswers.answer(new String[] {"--help", "whoami"}));
        assertNull(QuickAnswers.answer(new String[] {"whoami", "--help"}));
        assertNull(QuickAnswers.answer(new String[] {"--hel"}));
        assertNull(QuickAnswers.answer(new String[] {}));
        // Still picocli's answers: the command's own help, and the usage error on stderr.
        FakeTerminal.Run sub = terminal.run("whoami", "--help");
        assertTrue(sub.out().startsWith("Usage: autolab whoami [-hV] [--host=URL]\n"), sub.out());
        FakeTerminal.Run none = terminal.run();
        assertEquals(ExitCodes.USAGE, none.exit());
        assertTrue(none.err().startsWith("Missing required subcommand\nUsage: autolab"), none.err());
    }

    /** The names the run dispatches on are written out (reading annotations costs each run); they must agree. */
    @Test
    void theCommandTableNamesEachCommandAsItsAnnotationDoes() {
        for (Autolab.Entry entry : Autolab.COMMANDS) {
            if (entry.type() == WhoamiCommand.class) {
                assertEquals(WhoamiCommand.NAME, entry.name());
            } else {
                Command command = entry.type().getAnnotation(Command.class);
                assertNotNull(command, entry.type() + " is annotated");
                assertEquals(command.name(), entry.name());
            }
        }
    }

    @Test
    void whoamiHelpIsUnchanged() {
        FakeTerminal.Run run = terminal.run("whoami", "--help");
        assertEquals(0, run.exit());
        assertEquals("""
                Usage: autolab whoami [-hV] [--host=URL]
                Show the active host, the signed-in user, where the credential comes from and
                your role on the current project.
                  -h, --help       Show this help message and exit.
                      --host=URL   Control node to talk to (default: AUTOLAB_HOST, else the
                                     host you last logged in to, else http://localhost:8080).
                  -V, --version    Print version information and exit.

                Examples:
                  autolab whoami
                  AUTOLAB_TOKEN=al_… autolab whoami
                """, run.out());
    }
}
