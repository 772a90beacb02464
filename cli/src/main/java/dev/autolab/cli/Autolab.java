package dev.autolab.cli;

import dev.autolab.cli.client.ApiException;
import dev.autolab.cli.client.UnreachableException;
import dev.autolab.cli.command.CompletionCommand;
import dev.autolab.cli.command.KeysCommand;
import dev.autolab.cli.command.LoginCommand;
import dev.autolab.cli.command.LogoutCommand;
import dev.autolab.cli.command.NodesCommand;
import dev.autolab.cli.command.ProjectCommand;
import dev.autolab.cli.command.Sanitize;
import dev.autolab.cli.command.Terminal;
import dev.autolab.cli.command.TokenCommand;
import dev.autolab.cli.command.UsageError;
import dev.autolab.cli.command.WhoamiCommand;
import dev.autolab.cli.serve.LocalMachine;
import dev.autolab.cli.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code autolab} command. Exit codes (DESIGN §7): 0 ok, 1 the server said no, 2 usage error,
 * 3 cannot reach the host or the service is unavailable (retry later), 4 a local problem.
 */
@Command(
        name = "autolab",
        mixinStandardHelpOptions = true,
        version = "autolab 0.1.0",
        description = "Sign in to an Autolab control node, manage tokens, keys and projects, and run execution nodes.",
        subcommands = {
            LoginCommand.class,
            WhoamiCommand.class,
            LogoutCommand.class,
            TokenCommand.class,
            KeysCommand.class,
            ProjectCommand.class,
            ServeCommand.class,
            NodesCommand.class,
            CompletionCommand.class,
            HelpCommand.class
        },
        footer = {
            "",
            "Environment:",
            "  AUTOLAB_HOST     control node to use (overridden by --host)",
            "  AUTOLAB_TOKEN    token to use, ahead of any stored login",
            "  AUTOLAB_PROJECT  project to use, ahead of the current one (overridden by --project)",
            "  XDG_CONFIG_HOME  where autolab/credentials.json lives (default ~/.config)",
            "  XDG_STATE_HOME   where `serve` keeps node credentials (default ~/.local/state)",
            "",
            "Exit codes: 0 ok, 1 the server refused, 2 usage error, 3 cannot reach the host or the",
            "service is unavailable (retry later), 4 a local problem (e.g. an unsafe credentials file)."
        })
public final class Autolab {
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    /** The host cannot be reached, or the service (or something it needs) is unavailable: retry later. */
    public static final int UNREACHABLE = 3;
    /** Something on this machine is wrong (the credentials file cannot be read or written). */
    public static final int LOCAL = 4;

    private static Terminal terminal = Terminal.system();
    private static String host;

    @Option(
            names = "--host",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            description = "Control node to talk to (default: AUTOLAB_HOST, else the host you last logged in to, "
                    + "else http://localhost:8080).")
    void setHost(String value) {
        host = value;
    }

    /** The {@code --host} option, wherever on the command line it was given; null when absent. */
    public static String host() {
        return host;
    }

    public static Terminal terminal() {
        return terminal;
    }

    public static int run(Terminal term, String... args) {
        return run(term, LocalMachine.system(), args);
    }

    /** Runs a command with what it takes from this machine handed in (clock, files, signals...). */
    public static int run(Terminal term, LocalMachine local, String... args) {
        terminal = term;
        host = null;
        CommandLine cli = new CommandLine(new Autolab(), new Factory(local));
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            term.endTicks();
            // One line each, whatever the message holds: it may come from the server.
            if (e instanceof UsageError) {
                term.say("error: " + Sanitize.line(e.getMessage()));
                return USAGE;
            }
            if (e instanceof UnreachableException || e instanceof ApiException api && api.unavailable()) {
                term.say("error: " + Sanitize.line(e.getMessage()));
                return UNREACHABLE;
            }
            if (e instanceof ApiException) {
                term.say("error: " + Sanitize.line(e.getMessage()));
                return REFUSED;
            }
            if (e instanceof IllegalStateException) {
                term.say("error: " + Sanitize.line(e.getMessage()));
                return LOCAL;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** Builds the commands that take the local machine; picocli's default factory builds the rest. */
    private record Factory(LocalMachine local) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ServeCommand.class) {
                return type.cast(new ServeCommand(local));
            }
            if (type == NodesCommand.class) {
                return type.cast(new NodesCommand(local));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    public static void main(String[] args) {
        System.exit(run(Terminal.system(), args));
    }
}
