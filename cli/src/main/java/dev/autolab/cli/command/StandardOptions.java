package dev.autolab.cli.command;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code -h/--help} and {@code -V/--version} for a command whose model is built in code: what
 * {@code @Command(mixinStandardHelpOptions = true)} adds, with the same names, descriptions and
 * resource keys. That attribute would have picocli read its own annotated mixin by reflection at
 * every run, the one thing a model built in code is there to avoid.
 */
public final class StandardOptions {
    private StandardOptions() {}

    public static CommandSpec addTo(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .type(boolean.class)
                .descriptionKey("mixinStandardHelpOptions.help")
                .description("Show this help message and exit.")
                .build());
        spec.addOption(OptionSpec.builder("-V", "--version")
                .versionHelp(true)
                .type(boolean.class)
                .descriptionKey("mixinStandardHelpOptions.version")
                .description("Print version information and exit.")
                .build());
        return spec;
    }
}
