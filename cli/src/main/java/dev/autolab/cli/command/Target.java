package dev.autolab.cli.command;

import dev.autolab.cli.Autolab;
import dev.autolab.cli.client.ApiClient;
import dev.autolab.cli.config.CredentialsFile;
import dev.autolab.cli.config.HostEntry;
import dev.autolab.cli.config.Hosts;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The host a command talks to and the credential it uses. Host: {@code --host} > AUTOLAB_HOST >
 * the active host > {@code http://localhost:8080}. Token: AUTOLAB_TOKEN > the token stored for the host.
 * A host typed without a scheme is https unless it is loopback ({@link Hosts}); plain http to another
 * machine is used only as typed, with a warning.
 */
public final class Target {
    public static final String TOKEN_VARIABLE = "AUTOLAB_TOKEN";

    private final Terminal terminal;
    private final CredentialsFile file;
    private final CredentialsFile.Content content;
    private final String host;

    private Target(Terminal terminal, CredentialsFile file, String hostOption) {
        this.terminal = terminal;
        this.file = file;
        this.content = file.read();
        String chosen = hostOption != null
                ? hostOption
                : terminal.env("AUTOLAB_HOST") != null
                        ? terminal.env("AUTOLAB_HOST")
                        : content.activeHost != null ? content.activeHost : Hosts.DEFAULT;
        this.host = Hosts.normalize(chosen);
        if (Hosts.cleartextToAnotherMachine(host)) {
            terminal.warnCleartext(host);
        }
    }

    public static Target resolve(Terminal terminal, String hostOption) {
        return new Target(terminal, CredentialsFile.fromEnvironment(terminal.environment()), hostOption);
    }

    /** The target of the command being run: the terminal it was given and its {@code --host}. */
    public static Target of(CommandSpec spec) {
        Autolab root = (Autolab) spec.root().userObject();
        return resolve(root.terminal(), root.host());
    }

    public String host() {
        return host;
    }

    public Terminal terminal() {
        return terminal;
    }

    public CredentialsFile file() {
        return file;
    }

    /** The stored login for this host, or null. */
    public HostEntry stored() {
        return content.hosts.get(host);
    }

    public boolean tokenFromEnvironment() {
        return terminal.env(TOKEN_VARIABLE) != null;
    }

    public String token() {
        String fromEnv = terminal.env(TOKEN_VARIABLE);
        HostEntry stored = stored();
        if (fromEnv != null) {
            if (stored != null && stored.token != null) {
                terminal.noticeEnvTokenShadows(host);
            }
            return fromEnv;
        }
        if (stored == null || stored.token == null) {
            // Nothing the server said: the user has a step to take first (exit 2).
            throw new UsageError("not logged in to " + host + ": run `autolab login"
                    + (host.equals(Hosts.DEFAULT) ? "" : " --host " + host) + "` or set " + TOKEN_VARIABLE);
        }
        return stored.token;
    }

    public ApiClient api() {
        return new ApiClient(host, token());
    }

    public ApiClient anonymous() {
        return new ApiClient(host, null);
    }

    /** {@code --project} when given, otherwise the project chosen with {@code autolab project use}. */
    public String project(String option) {
        if (option != null && !option.isBlank()) {
            return option.trim();
        }
        String env = terminal.env("AUTOLAB_PROJECT");
        if (env != null) {
            return env;
        }
        HostEntry stored = stored();
        if (stored == null || stored.project == null) {
            throw new UsageError(
                    "no project: pass --project OWNER/NAME, or choose one with `autolab project use OWNER/NAME`");
        }
        return stored.project;
    }

    /** The current project when there is one, else null. */
    public String projectOrNull() {
        String env = terminal.env("AUTOLAB_PROJECT");
        HostEntry stored = stored();
        return env != null ? env : stored == null ? null : stored.project;
    }

    /** Stores this host's entry and makes it the active host. */
    public void save(HostEntry entry) {
        content.hosts.put(host, entry);
        content.activeHost = host;
        file.write(content);
    }

    /** Forgets this host's login; another stored host becomes active, if any. */
    public void forget() {
        content.hosts.remove(host);
        if (host.equals(content.activeHost)) {
            content.activeHost = content.hosts.isEmpty()
                    ? null
                    : content.hosts.keySet().iterator().next();
        }
        file.write(content);
    }
}
