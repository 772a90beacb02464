package dev.autolab.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.autolab.cli.client.ApiClient;
import dev.autolab.cli.config.HostEntry;
import dev.autolab.cli.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Print the token you are authenticated with, or manage personal access tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.Ls.class, TokenCommand.Revoke.class},
        footer = {
            "",
            "Examples:",
            "  autolab token                          # print the token you're authenticated with",
            "  autolab token create --name gpu-box    # mint a named token (printed once, on stdout)",
            "  TOK=$(autolab token create --name ci --expires 30d)",
            "  autolab token ls --all                 # include revoked and expired tokens",
            "  autolab token revoke gpu-box           # by name or id prefix"
        })
public class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Target target = Target.of(spec);
        target.terminal().println(Sanitize.line(target.token()));
        return 0;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Mint a fresh, named token. Only the token goes to stdout, once.",
            footer = {
                "",
                "Examples:",
                "  autolab token create --name gpu-box",
                "  TOK=$(autolab token create --name ci --expires 30d)",
                "  ssh gpubox \"AUTOLAB_TOKEN=$TOK autolab serve --project alice/nanochat\""
            })
    public static class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        private static final Pattern EXPIRY = Pattern.compile("^(\\d{1,4})d$");

        @Option(
                names = "--name",
                required = true,
                paramLabel = "NAME",
                description = "A name to recognise it by " + "(letters, digits, '.', '_', '@', '-').")
        String name;

        @Option(names = "--expires", paramLabel = "DAYS", description = "Lifetime, e.g. 30d (default: never expires).")
        String expires;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            Terminal term = target.terminal();
            int days = 0;
            if (expires != null) {
                Matcher m = EXPIRY.matcher(expires.trim());
                if (!m.matches()) {
                    throw new UsageError("--expires takes a number of days like 30d, not \"" + expires + "\"");
                }
                days = Integer.parseInt(m.group(1));
            }
            Json created = target.api()
                    .post("/v1/tokens", ApiClient.object().put("name", name).put("expiresInDays", days));
            Json token = created.path("token");
            term.println(Formats.text(created.path("secret")));
            term.say("Created token " + Formats.text(token.path("name")) + " (id " + Formats.shortId(token.path("id"))
                    + ", expires " + Formats.day(token.path("expiresAt"), "never")
                    + "). It is shown only this once.");
            return 0;
        }
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description = "List your tokens.",
            footer = {"", "Examples:", "  autolab token ls", "  autolab token ls --all --json"})
    public static class Ls implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--all", description = "Also show revoked and expired tokens, with when and why.")
        boolean all;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            Terminal term = target.terminal();
            Json tokens =
                    target.api().get("/v1/tokens" + (all ? "?all=true" : "")).path("tokens");
            if (json) {
                term.printJson(tokens);
                return 0;
            }
            HostEntry stored = target.tokenFromEnvironment() ? null : target.stored();
            List<String> header = new ArrayList<>(List.of("ID", "NAME", "KIND", "CREATED", "LAST USED", "EXPIRES"));
            if (all) {
                header.add("STATUS");
            }
            List<List<String>> rows = new ArrayList<>();
            for (Json t : tokens) {
                boolean current = stored != null && t.path("id").asText().equals(stored.tokenId);
                List<String> row = new ArrayList<>(List.of(
                        Formats.shortId(t.path("id")),
                        t.path("name").asText() + (current ? " (this login)" : ""),
                        Formats.enumName(t.path("kind"), "TOKEN_KIND_", "pat"),
                        Formats.ago(t.path("createdAt"), "-", term.now()),
                        Formats.ago(t.path("lastUsedAt"), "never", term.now()),
                        Formats.day(t.path("expiresAt"), "never")));
                if (all) {
                    row.add(status(t, term.now()));
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                term.say("No tokens. Create one with `autolab token create --name NAME`.");
                return 0;
            }
            term.print(Formats.table(header, rows));
            return 0;
        }

        private static String status(Json t, java.time.Instant now) {
            if (t.has("revokedAt")) {
                return "revoked " + Formats.day(t.path("revokedAt"), "") + " ("
                        + t.path("revokedReason").asText() + ")";
            }
            java.time.Instant expires = Formats.instant(t.path("expiresAt"));
            if (expires != null && expires.isBefore(now)) {
                return "expired " + Formats.day(t.path("expiresAt"), "");
            }
            return "active";
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a token by name or id prefix (4+ characters).",
            footer = {"", "Examples:", "  autolab token revoke gpu-box", "  autolab token revoke 1a2b3c4d"})
    public static class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "REF", description = "Token name or id prefix.")
        String ref;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            Terminal term = target.terminal();
            Json revoked = target.api().delete("/v1/tokens/" + ApiClient.segment(ref));
            term.say("Revoked token " + Formats.text(revoked.path("name")) + " (" + Formats.shortId(revoked.path("id"))
                    + ").");
            HostEntry stored = target.stored();
            if (stored != null && revoked.path("id").asText().equals(stored.tokenId)) {
                term.say("That was the token stored for " + target.host() + "; run `autolab login` to sign in again.");
            }
            return 0;
        }
    }
}
