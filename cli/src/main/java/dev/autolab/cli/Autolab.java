package dev.autolab.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.autolab.cli.command.CompletionCommand;
import dev.autolab.cli.command.KeysCommand;
import dev.autolab.cli.command.LoginCommand;
import dev.autolab.cli.command.LogoutCommand;
import dev.autolab.cli.command.NodesCommand;
import dev.autolab.cli.command.ProjectCommand;
import dev.autolab.cli.command.Sanitize;
import dev.autolab.cli.command.Terminal;
import dev.autolab.cli.command.TokenCommand;
import dev.autolab.cli.command.WhoamiCommand;
import dev.autolab.cli.serve.LocalMachine;
import dev.autolab.cli.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code autolab} command. Exit codes (DESIGN §7) are mapped in one place, {@link ExitCodes}.
 * No static state: each run gets its terminal (streams and environment) and its machine handed in,
 * and the commands find them here, at the root of their command line.
 */
@Command(
        name = "autolab",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Sign in to an Autolab control node, manage tokens, keys and projects, and run execution nodes.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {
            "",
            "Environment:",
            "  AUTOLAB_HOST     control node to use (overridden by --host); a host without",
            "                   a scheme is https://, except loopback (localhost, 127.*, ::1)",
            "  AUTOLAB_TOKEN    token to use, ahead of any stored login",
            "  AUTOLAB_PROJECT  project to use, ahead of the current one (overridden by",
            "                   --project)",
            "  HOME             your home folder, as the shell has it",
            "  XDG_CONFIG_HOME  where autolab/credentials.json lives (default $HOME/.config)",
            "  XDG_STATE_HOME   where `serve` keeps node credentials (default",
            "                   $HOME/.local/state)",
            "  XDG_CACHE_HOME   where bin/autolab keeps its start-up archive ($HOME/.cache)",
            "",
            "Exit codes: 0 ok, 1 the server refused, 2 usage error (also: not logged in),",
            "3 cannot reach the host or the service is unavailable (retry later), 4 a local",
            "problem (e.g. a credentials file others can read)."
        })
public final class Autolab {
    /**
     * The commands, in the order help lists them. Picocli reflects on every command it is given (its
     * options, their types, its subcommands): for all of them that was most of a second of each run
     * before the command did anything. So a run builds only the command it names, and the listing in
     * {@code autolab --help} is made from each command's description alone.
     */
    private static final Map<String, Class<?>> COMMANDS = commands(
            LoginCommand.class,
            WhoamiCommand.class,
            LogoutCommand.class,
            TokenCommand.class,
            KeysCommand.class,
            ProjectCommand.class,
            ServeCommand.class,
            NodesCommand.class,
            CompletionCommand.class);

    private static Map<String, Class<?>> commands(Class<?>... types) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> type : types) {
            byName.put(type.getAnnotation(Command.class).name(), type);
        }
        return Collections.unmodifiableMap(byName);
    }

    private final Terminal terminal;
    private String host;

    private Autolab(Terminal terminal) {
        this.terminal = terminal;
    }

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
    public String host() {
        return host;
    }

    public Terminal terminal() {
        return terminal;
    }

    public static int run(Terminal term, String... args) {
        return run(term, LocalMachine::system, args);
    }

    /** Runs a command on a given machine (tests hand in their own clock, files and signals). */
    public static int run(Terminal term, LocalMachine local, String... args) {
        return run(term, () -> local, args);
    }

    /**
     * Runs a command with what it takes from this machine handed in (clock, files, signals...), made
     * only when a command asks for it: most never do.
     */
    public static int run(Terminal term, Supplier<LocalMachine> local, String... args) {
        try {
            return execute(term, local, args);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the commands", e);
        }
    }

    private static int execute(Terminal term, Supplier<LocalMachine> local, String... args) throws Exception {
        Factory factory = new Factory(local);
        CommandLine cli = new CommandLine(new Autolab(term), factory);
        addCommands(cli, factory, args);
        ExitCodes exitCodes = new ExitCodes();
        cli.setExitCodeExceptionMapper(exitCodes);
        // Help, --version and usage errors go to this run's terminal, not to System.out/err.
        cli.setOut(new PrintWriter(term.out(), true));
        cli.setErr(new PrintWriter(term.err(), true));
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            term.endTicks();
            if (!(e instanceof CliException)) {
                throw e;
            }
            // One line, whatever the message holds: it may come from the server.
            term.say("error: " + Sanitize.line(e.getMessage()));
            return exitCodes.getExitCode(e);
        });
        return cli.execute(args);
    }

    /**
     * The named command alone; all of them for {@code help COMMAND} and {@code completion}, which
     * describe the whole tree; and for anything else (no command, {@code --help}, {@code --version},
     * a typo) a listing that reflects on none: each command's name and description.
     */
    private static void addCommands(CommandLine cli, Factory factory, String[] args) throws Exception {
        String named = commandName(args);
        Class<?> type = COMMANDS.get(named);
        if (type != null && !named.equals("completion")) {
            cli.addSubcommand(named, new CommandLine(factory.create(type), factory));
            return;
        }
        boolean whole = "help".equals(named) || "completion".equals(named);
        for (Map.Entry<String, Class<?>> command : COMMANDS.entrySet()) {
            if (whole) {
                cli.addSubcommand(command.getKey(), new CommandLine(factory.create(command.getValue()), factory));
            } else {
                CommandSpec listing = CommandSpec.create().name(command.getKey());
                listing.usageMessage()
                        .description(
                                command.getValue().getAnnotation(Command.class).description());
                cli.addSubcommand(command.getKey(), listing);
            }
        }
        cli.addSubcommand("help", new CommandLine(new HelpCommand(), factory));
    }

    /** The first argument that is not an option (or {@code --host}'s value), or null. */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--host")) {
                i++;
            } else if (arg.equals("--")) {
                return null;
            } else if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
    }

    /** Builds the commands that take the local machine; picocli's default factory builds the rest. */
    private record Factory(Supplier<LocalMachine> local) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ServeCommand.class) {
                return type.cast(new ServeCommand(local));
            }
            if (type == NodesCommand.class) {
                return type.cast(new NodesCommand(local));
            }
            if (type == LoginCommand.class) {
                return type.cast(new LoginCommand(local));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    public static void main(String[] args) {
        System.exit(run(Terminal.system(), args));
    }
}
