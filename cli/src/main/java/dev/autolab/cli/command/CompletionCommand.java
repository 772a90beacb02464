package dev.autolab.cli.command;

import java.util.concurrent.Callable;

import dev.autolab.cli.Autolab;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a completion script for bash (the default), zsh or fish.",
        footer = {
            "",
            "Examples:",
            "  source <(autolab completion)                      # bash, this shell",
            "  autolab completion bash > ~/.local/share/bash-completion/completions/autolab",
            "  source <(autolab completion zsh)                  # zsh (through bashcompinit)",
            "  autolab completion fish > ~/.config/fish/completions/autolab.fish"
        })
public class CompletionCommand implements Callable<Integer> {
    enum Shell {
        bash,
        zsh,
        fish
    }

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..1",
            paramLabel = "SHELL",
            defaultValue = "bash",
            description = "bash, zsh or fish (default: ${DEFAULT-VALUE}).")
    Shell shell;

    @Override
    public Integer call() {
        CommandSpec root = spec.root();
        String bash = AutoComplete.bash("autolab", root.commandLine());
        String script = switch (shell) {
            case bash -> bash;
            // zsh runs bash completion functions once bashcompinit is loaded.
            case zsh -> "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + bash;
            case fish -> FishCompletion.script(root);
        };
        ((Autolab) root.userObject()).terminal().out().print(script);
        return 0;
    }
}
