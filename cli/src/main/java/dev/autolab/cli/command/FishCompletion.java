package dev.autolab.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A fish completion script generated from the command tree (picocli writes bash only): subcommands
 * where they may follow, and each command's long options with their descriptions.
 */
final class FishCompletion {
    private FishCompletion() {}

    static String script(CommandSpec root) {
        StringBuilder out = new StringBuilder("# fish completion for autolab (autolab completion fish)\n");
        out.append("complete -c autolab -f\n");
        walk(root, new ArrayList<>(), out);
        return out.toString();
    }

    private static void walk(CommandSpec command, List<String> path, StringBuilder out) {
        String condition = condition(command, path);
        for (Map.Entry<String, picocli.CommandLine> sub : command.subcommands().entrySet()) {
            CommandSpec child = sub.getValue().getCommandSpec();
            if (!sub.getKey().equals(child.name())) {
                continue; // an alias
            }
            out.append("complete -c autolab -n ")
                    .append(quote(condition))
                    .append(" -a ")
                    .append(quote(child.name()))
                    .append(" -d ")
                    .append(quote(summary(child)))
                    .append('\n');
        }
        for (OptionSpec option : command.options()) {
            if (option.hidden()) {
                continue;
            }
            out.append("complete -c autolab -n ").append(quote(condition));
            for (String name : option.names()) {
                if (name.startsWith("--")) {
                    out.append(" -l ").append(name.substring(2));
                } else if (name.startsWith("-") && name.length() == 2) {
                    out.append(" -s ").append(name.charAt(1));
                }
            }
            if (option.arity().max() > 0) {
                out.append(" -r");
            }
            String description = option.description().length > 0 ? option.description()[0] : "";
            out.append(" -d ").append(quote(firstSentence(description))).append('\n');
        }
        for (Map.Entry<String, picocli.CommandLine> sub : command.subcommands().entrySet()) {
            CommandSpec child = sub.getValue().getCommandSpec();
            if (sub.getKey().equals(child.name())) {
                List<String> next = new ArrayList<>(path);
                next.add(child.name());
                walk(child, next, out);
            }
        }
    }

    /** True in fish when the words typed so far are exactly this command's path. */
    private static String condition(CommandSpec command, List<String> path) {
        if (path.isEmpty()) {
            return "__fish_use_subcommand";
        }
        StringBuilder c = new StringBuilder();
        for (String word : path) {
            c.append(c.isEmpty() ? "" : "; and ")
                    .append("__fish_seen_subcommand_from ")
                    .append(word);
        }
        if (!command.subcommands().isEmpty()) {
            c.append("; and not __fish_seen_subcommand_from");
            command.subcommands().keySet().forEach(name -> c.append(' ').append(name));
        }
        return c.toString();
    }

    private static String summary(CommandSpec command) {
        String[] description = command.usageMessage().description();
        return firstSentence(description.length > 0 ? description[0] : "");
    }

    private static String firstSentence(String text) {
        int dot = text.indexOf(". ");
        String first = dot >= 0 ? text.substring(0, dot) : text;
        return first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
    }

    /** A fish single-quoted string: only backslash and the quote itself are special. */
    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
