package dev.autolab.cli.command;

import java.util.concurrent.Callable;

import dev.autolab.cli.Autolab;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a bash/zsh completion script.",
        footer = {
            "",
            "Examples:",
            "  source <(autolab completion)",
            "  autolab completion > /etc/bash_completion.d/autolab"
        })
public class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Autolab.terminal().out().print(AutoComplete.bash("autolab", spec.root().commandLine()));
        return 0;
    }
}
