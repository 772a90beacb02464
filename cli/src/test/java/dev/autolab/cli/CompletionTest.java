package dev.autolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code autolab completion bash|zsh|fish}: scripts on stdout, naming every command. */
class CompletionTest {
    private final FakeTerminal terminal = new FakeTerminal();

    @Test
    void bashIsTheDefault() {
        FakeTerminal.Run run = terminal.run("completion");
        assertEquals(0, run.exit(), run.toString());
        assertEquals(run.out(), terminal.run("completion", "bash").out());
        assertTrue(run.out().contains("complete -F _complete_autolab"), run.out());
        assertTrue(run.out().contains("whoami") && run.out().contains("serve"), "every command");
        assertEquals("", run.err());
    }

    @Test
    void zshLoadsBashcompinitFirst() {
        FakeTerminal.Run run = terminal.run("completion", "zsh");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit"));
        assertTrue(run.out().contains("complete -F _complete_autolab"));
    }

    @Test
    void fishNamesCommandsSubcommandsAndOptions() {
        FakeTerminal.Run run = terminal.run("completion", "fish");
        assertEquals(0, run.exit(), run.toString());
        String fish = run.out();
        assertTrue(
                fish.contains("complete -c autolab -n '__fish_use_subcommand' -a 'whoami' -d 'Show the active host"),
                fish);
        assertTrue(
                fish.contains("complete -c autolab -n '__fish_seen_subcommand_from token; and not "
                        + "__fish_seen_subcommand_from create ls revoke' -a 'ls'"),
                fish);
        assertTrue(
                fish.contains("-n '__fish_seen_subcommand_from token; __fish_seen_subcommand_from ls'")
                        || fish.contains(
                                "-n '__fish_seen_subcommand_from token; and __fish_seen_subcommand_from ls' -l json"),
                fish);
        assertTrue(fish.contains(" -l host -r "), fish);
    }

    @Test
    void anotherShellIsAUsageError() {
        FakeTerminal.Run run = terminal.run("completion", "powershell");
        assertEquals(ExitCodes.USAGE, run.exit(), run.toString());
        assertTrue(run.err().contains("powershell"), run.err());
        assertEquals("", run.out());
    }
}
