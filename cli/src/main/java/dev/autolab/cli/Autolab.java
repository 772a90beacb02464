package dev.autolab.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.autolab.cli.command.CompletionCommand;
import dev.autolab.cli.command.KeysCommand;
import dev.autolab.cli.command.LoginCommand;
import dev.autolab.cli.command.LogoutCommand;
import dev.autolab.cli.command.NodesCommand;
import dev.autolab.cli.command.ProjectCommand;
import dev.autolab.cli.command.Sanitize;
import dev.autolab.cli.command.StandardOptions;
import dev.autolab.cli.command.Terminal;
import dev.autolab.cli.command.TokenCommand;
import dev.autolab.cli.command.WhoamiCommand;
import dev.autolab.cli.serve.LocalMachine;
import dev.autolab.cli.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * The {@code autolab} command. Exit codes (DESIGN §7) are mapped in one place, {@link ExitCodes}.
 * No static state: each run gets its terminal (streams and environment) and its machine handed in,
 * and the commands find them here, at the root of their command line.
 *
 * <p>The root's model is built in code ({@link #model}), not read from annotations: every run
 * builds it, and annotations cost each run a generated proxy class per annotation type and
 * picocli's reflection over the class (issue 9). {@code --help} and {@code --version} alone are
 * answered before picocli is used at all ({@link QuickAnswers}).
 */
public final class Autolab {
    static final String DESCRIPTION =
            "Sign in to an Autolab control node, manage tokens, keys and projects, and run execution nodes.";
    static final String[] FOOTER = {
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
    };

    /**
     * The commands, in the order help lists them, by name: picocli reflects on every annotated
     * command it is given (its options, their types, its subcommands), which for all of them was
     * most of a second of each run before the command did anything. So a run builds only the
     * command it names, and the listing in {@code autolab --help} is made from each command's
     * description alone. The names are written out here rather than read from the annotations,
     * which would cost every run the annotation proxies; a test checks they agree.
     */
    static final List<Entry> COMMANDS = List.of(
            new Entry("login", LoginCommand.class),
            new Entry(WhoamiCommand.NAME, WhoamiCommand.class),
            new Entry("logout", LogoutCommand.class),
            new Entry("token", TokenCommand.class),
            new Entry("keys", KeysCommand.class),
            new Entry("project", ProjectCommand.class),
            new Entry("serve", ServeCommand.class),
            new Entry("nodes", NodesCommand.class),
            new Entry("completion", CompletionCommand.class));

    /** A command: its name, and its class (annotated, except whoami, whose model is built in code). */
    record Entry(String name, Class<?> type) {
        boolean modelInCode() {
            return type == WhoamiCommand.class;
        }

        CommandLine build(Factory factory) throws Exception {
            return modelInCode()
                    ? new CommandLine(WhoamiCommand.model(), factory)
                    : new CommandLine(factory.create(type), factory);
        }

        String[] description() {
            return modelInCode()
                    ? new String[] {WhoamiCommand.DESCRIPTION}
                    : type.getAnnotation(Command.class).description();
        }
    }

    private final Terminal terminal;
    private String host;

    private Autolab(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The {@code --host} option, wherever on the command line it was given; null when absent. */
    public String host() {
        return host;
    }

    public Terminal terminal() {
        return terminal;
    }

    public static int run(Terminal term, String... args) {
        return run(term, new ThisMachine(null), args);
    }

    /** Runs a command on a given machine (tests hand in their own clock, files and signals). */
    public static int run(Terminal term, LocalMachine local, String... args) {
        return run(term, new ThisMachine(local), args);
    }

    /**
     * The machine handed in, else this one's, made when asked for. A class rather than a lambda:
     * {@code --help} and {@code --version} run no other lambda, and the first one costs a run the
     * JDK's method-handle machinery (bootstrap methods, a generated class).
     */
    private record ThisMachine(LocalMachine given) implements Supplier<LocalMachine> {
        @Override
        public LocalMachine get() {
            return given != null ? given : LocalMachine.system();
        }
    }

    /**
     * Runs a command with what it takes from this machine handed in (clock, files, signals...), made
     * only when a command asks for it: most never do.
     */
    public static int run(Terminal term, Supplier<LocalMachine> local, String... args) {
        String quick = QuickAnswers.answer(args);
        if (quick != null) {
            term.out().print(quick);
            term.out().flush();
            return ExitCodes.OK;
        }
        try {
            return execute(term, local, null, args);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the commands", e);
        }
    }

    /**
     * What picocli itself prints on stdout for {@code args}, with or without ANSI styles: how the
     * build renders the answers {@link QuickAnswers} gives without picocli, and how a test checks
     * that they are still the same.
     */
    static String rendered(Help.Ansi ansi, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        execute(new Terminal(stream, stream, Map.of()), new ThisMachine(null), ansi, args);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int execute(Terminal term, Supplier<LocalMachine> local, Help.Ansi ansi, String... args)
            throws Exception {
        Factory factory = new Factory(local);
        CommandLine cli = new CommandLine(model(new Autolab(term)), factory);
        addCommands(cli, factory, args);
        if (ansi != null) {
            cli.setColorScheme(Help.defaultColorScheme(ansi));
        }
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

    /** The root command's model: its options (--host for every command), description and footer. */
    private static CommandSpec model(Autolab autolab) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(autolab).name("autolab");
        spec.versionProvider(new Version());
        spec.addOption(OptionSpec.builder("--host")
                .paramLabel("URL")
                .type(String.class)
                .scopeType(ScopeType.INHERIT)
                .description("Control node to talk to (default: AUTOLAB_HOST, else the host you last logged in to, "
                        + "else http://localhost:8080).")
                .setter(new ISetter() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T set(T value) {
                        T previous = (T) autolab.host;
                        autolab.host = (String) value;
                        return previous;
                    }
                })
                .build());
        // After the command's own options, as picocli adds mixinStandardHelpOptions (fish lists them in order).
        StandardOptions.addTo(spec);
        spec.usageMessage()
                .description(DESCRIPTION)
                .synopsisSubcommandLabel("COMMAND")
                .footer(FOOTER);
        return spec;
    }

    /**
     * The named command alone; all of them for {@code help COMMAND} and {@code completion}, which
     * describe the whole tree; and for anything else (no command, {@code --help}, a typo) a listing
     * that reflects on none: each command's name and description.
     */
    private static void addCommands(CommandLine cli, Factory factory, String[] args) throws Exception {
        String named = commandName(args);
        boolean whole = "help".equals(named) || "completion".equals(named);
        for (Entry command : COMMANDS) {
            if (command.name().equals(named) && !whole) {
                cli.addSubcommand(named, command.build(factory));
                return;
            }
        }
        for (Entry command : COMMANDS) {
            if (whole) {
                cli.addSubcommand(command.name(), command.build(factory));
            } else {
                CommandSpec listing = CommandSpec.create().name(command.name());
                listing.usageMessage().description(command.description());
                cli.addSubcommand(command.name(), listing);
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
        tunePicocli();
        System.exit(run(Terminal.system(), args));
    }

    /** What this process's picocli does not need to do; main and the archive's training run call it. */
    static void tunePicocli() {
        // The CLI has no Groovy: without this, picocli looks for groovy.lang.Closure at every run, in
        // every jar on the class path (all ~35 of lib/ for `serve`, each opened to be searched).
        System.setProperty("picocli.disable.closures", "true");
        // Options here are strings, booleans and enums: picocli need not look up by reflection the
        // parse methods of java.time, java.sql and java.nio.file types for every command line it
        // builds (~5 ms a run). An option of such a type would need its own converter.
        System.setProperty("picocli.converters.excludes", "java\\.(time|sql|nio)\\..*");
    }
}
