package dev.autolab.cli.command;

import java.util.concurrent.Callable;

import dev.autolab.cli.client.ApiClient;
import dev.autolab.cli.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "whoami",
        mixinStandardHelpOptions = true,
        description = "Show the active host, the signed-in user, where the credential comes from "
                + "and your role on the current project.",
        footer = {"", "Examples:", "  autolab whoami", "  AUTOLAB_TOKEN=al_… autolab whoami"})
public class WhoamiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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
