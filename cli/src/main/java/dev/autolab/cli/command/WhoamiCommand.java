package dev.autolab.cli.command;

import java.util.concurrent.Callable;

import dev.autolab.cli.client.ApiClient;
import dev.autolab.cli.json.Json;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code autolab whoami}. Its model is built in code ({@link #model()}), not read from annotations:
 * whoami is the command people run most, and reading annotations costs a run a generated proxy
 * class per annotation type, plus picocli's reflection over the class (issue 9).
 */
public class WhoamiCommand implements Callable<Integer> {
    public static final String NAME = "whoami";
    public static final String DESCRIPTION =
            "Show the active host, the signed-in user, where the credential comes from "
                    + "and your role on the current project.";

    private final CommandSpec spec;

    private WhoamiCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name(NAME);
    }

    /** A new whoami command, ready to be added under the root. */
    public static CommandSpec model() {
        CommandSpec spec = new WhoamiCommand().spec;
        StandardOptions.addTo(spec)
                .usageMessage()
                .description(DESCRIPTION)
                .footer("", "Examples:", "  autolab whoami", "  AUTOLAB_TOKEN=al_… autolab whoami");
        return spec;
    }

    @Override
    public Integer call() {
        Target target = Target.of(spec);
        Terminal term = target.terminal();
        String project = target.projectOrNull();
        Json me = target.api().get("/v1/whoami" + (project == null ? "" : "?project=" + ApiClient.segment(project)));
        Json user = me.path("user");
        Json token = me.path("token");
        String source = target.tokenFromEnvironment()
                ? "AUTOLAB_TOKEN (environment)"
                : "stored login (" + target.file().path() + ")";
        String name = Formats.text(user.path("displayName"));
        String handle = Formats.text(user.path("handle"));
        StringBuilder out = new StringBuilder();
        out.append("host:        ").append(target.host()).append('\n');
        out.append("user:        ")
                .append(handle)
                .append(name.isEmpty() || name.equals(handle) ? "" : " (" + name + ")")
                .append('\n');
        out.append("credential:  ").append(source).append('\n');
        out.append("token:       ")
                .append(Formats.text(token.path("name")))
                .append(" (")
                .append(Formats.enumName(token.path("kind"), "TOKEN_KIND_", "pat"))
                .append("), expires ")
                .append(Formats.day(token.path("expiresAt"), "never"))
                .append('\n');
        if (project != null) {
            out.append("project:     ")
                    .append(Sanitize.line(project))
                    .append(" (")
                    .append(Formats.enumName(me.path("role"), "ROLE_", "no access"))
                    .append(")\n");
        }
        term.print(out.toString());
        return 0;
    }
}
