package dev.autolab.cli.command;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import dev.autolab.cli.client.ApiClient;
import dev.autolab.cli.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autolab keys}: your LLM provider keys. Values are read from a hidden prompt, or from stdin
 * when stdin is not a terminal, never from a flag or the environment, and never shown again.
 */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "List your stored LLM provider keys, or add, use, limit, rotate and remove them.",
        subcommands = {
            KeysCommand.Add.class,
            KeysCommand.Use.class,
            KeysCommand.Rm.class,
            KeysCommand.Limit.class,
            KeysCommand.Rotate.class
        },
        footer = {
            "",
            "Every project starts on the AutoLab platform key; use your own provider account instead:",
            "  autolab keys                          # list your stored provider keys",
            "  autolab keys add --provider anthropic # store a key (hidden prompt for the value)",
            "  autolab keys use <key>                # assign a key to the current project",
            "  autolab keys use <key> --model \"openai/gpt-5.5\"   # ...and pin the model",
            "  autolab keys add --provider openai --name personal --limit 25",
            "  autolab keys use platform             # back to the platform key",
            "  autolab keys limit personal 50        # or: none",
            "  autolab keys rotate personal          # a new value for the same key",
            "  autolab keys rm personal [--force]",
            "",
            "Supported providers: anthropic, openai, google, openrouter, xai, deepseek, minimax, moonshot, glm, qwen."
        })
public class KeysCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static final Pattern USD = Pattern.compile("^\\$?(\\d{1,9})(\\.\\d{1,6})?$");
    private static final int MAX_VALUE_BYTES = 65536;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        Target target = Target.of(spec);
        Terminal term = target.terminal();
        Json keys = target.api().get("/v1/keys").path("keys");
        if (json) {
            term.printJson(keys);
            return 0;
        }
        if (keys.isMissingNode() || keys.isEmpty()) {
            term.say("No keys stored; your projects use the AutoLab platform key. Add your own with "
                    + "`autolab keys add --provider anthropic`.");
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Json k : keys) {
            List<String> projects = new ArrayList<>();
            k.path("projects").forEach(p -> projects.add(p.asText()));
            rows.add(List.of(
                    k.path("name").asText(),
                    Formats.shortId(k.path("id")),
                    k.path("provider").asText(),
                    "..." + k.path("hint").asText(),
                    k.has("limitMicroUsd") ? usd(k.path("limitMicroUsd").asLong()) : "none",
                    usd(k.path("spentMicroUsd").asLong(0)),
                    projects.isEmpty() ? "-" : String.join(", ", projects)));
        }
        term.out().print(Formats.table(List.of("NAME", "ID", "PROVIDER", "KEY", "LIMIT", "SPENT", "PROJECTS"), rows));
        return 0;
    }

    /** Micro-dollars as dollars: {@code 25000000} → {@code $25.00}. */
    static String usd(long micros) {
        BigDecimal dollars = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return "$" + (dollars.scale() < 2 ? dollars.setScale(2) : dollars).toPlainString();
    }

    /** {@code 25}, {@code 12.50} or {@code $3} → micro-dollars; a usage error otherwise. */
    static long microUsd(String text, String option) {
        String t = text.trim();
        if (!USD.matcher(t).matches()) {
            throw new UsageError(option + " takes an amount in US dollars, like 25 or 12.50, not \"" + text + "\"");
        }
        long micros = new BigDecimal(t.startsWith("$") ? t.substring(1) : t)
                .movePointRight(6)
                .longValueExact();
        if (micros <= 0) {
            throw new UsageError(option + " must be more than $0");
        }
        return micros;
    }

    /** The key value: a hidden prompt on a terminal, else all of stdin. Never echoed, never an argument. */
    static String readValue(Terminal term, String prompt) {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("%s", prompt);
            return typed == null ? "" : new String(typed);
        }
        try {
            InputStream in = System.in;
            byte[] bytes = in.readNBytes(MAX_VALUE_BYTES + 1);
            if (bytes.length > MAX_VALUE_BYTES) {
                throw new UsageError("stdin has more than " + MAX_VALUE_BYTES + " bytes; pipe only the key");
            }
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UsageError("cannot read the key from stdin: " + e.getMessage());
        }
    }

    private static String describe(Json k) {
        return k.path("name").asText() + " (" + k.path("provider").asText() + ", ..."
                + k.path("hint").asText() + ", id " + Formats.shortId(k.path("id")) + ")";
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description =
                    "Store a provider key. The value comes from a hidden prompt, or from stdin when it is not a terminal.",
            footer = {
                "",
                "Examples:",
                "  autolab keys add --provider anthropic",
                "  autolab keys add --provider openai --name personal --limit 25",
                "  pass show openai | autolab keys add --provider openai   # from stdin"
            })
    public static class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--provider",
                required = true,
                paramLabel = "P",
                description =
                        "anthropic, openai, google, " + "openrouter, xai, deepseek, minimax, moonshot, glm or qwen.")
        String provider;

        @Option(
                names = "--name",
                paramLabel = "N",
                description = "A name to refer to it by (default: the provider's name).")
        String name;

        @Option(names = "--limit", paramLabel = "USD", description = "Spending limit in US dollars (default: none).")
        String limit;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            Terminal term = target.terminal();
            Long micros = limit == null ? null : microUsd(limit, "--limit");
            ApiClient api = target.api();
            String value = readValue(term, "Paste your " + provider + " key (input is hidden): ");
            var body = ApiClient.object().put("provider", provider).put("value", value);
            if (name != null) {
                body.put("name", name);
            }
            if (micros != null) {
                body.put("limitMicroUsd", micros);
            }
            Json key = api.post("/v1/keys", body);
            term.out().println(key.path("id").asText());
            term.say("Stored key " + describe(key)
                    + (key.has("limitMicroUsd")
                            ? ", limit " + usd(key.path("limitMicroUsd").asLong())
                            : "")
                    + ". Use it in the current project with `autolab keys use "
                    + key.path("name").asText() + "`.");
            return 0;
        }
    }

    @Command(
            name = "use",
            mixinStandardHelpOptions = true,
            description =
                    "Switch a project (default: the current one) to one of your keys, or back to the platform key.",
            footer = {
                "",
                "Examples:",
                "  autolab keys use personal",
                "  autolab keys use 1a2b3c4d --model \"openai/gpt-5.5\"",
                "  autolab keys use platform",
                "  autolab keys use personal --project alice/nanochat"
            })
    public static class Use implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "KEY", description = "A key name or id prefix, or `platform`.")
        String key;

        @Option(
                names = "--model",
                paramLabel = "M",
                description = "Pin a model, as provider/model (e.g. openai/gpt-5.5).")
        String model;

        @Mixin
        ProjectOption project;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            Terminal term = target.terminal();
            String p = project.resolve(target);
            Json llm = target.api()
                    .put(
                            "/v1/projects/" + ApiClient.projectPath(p) + "/llm",
                            ApiClient.object().put("key", key).put("model", model == null ? "" : model));
            String model = llm.path("model").asText("");
            String with = model.isEmpty() ? "" : " with model " + model;
            if (llm.path("platform").asBoolean(false)) {
                term.say(llm.path("project").asText(p) + " now uses the AutoLab platform key" + with + ".");
            } else {
                term.say(
                        llm.path("project").asText(p) + " now uses your key " + describe(llm.path("key")) + with + ".");
            }
            return 0;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Remove a key and its stored value. A key that projects use needs --force.",
            footer = {"", "Examples:", "  autolab keys rm personal", "  autolab keys rm 1a2b3c4d --force"})
    public static class Rm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "KEY", description = "Key name or id prefix.")
        String ref;

        @Option(names = "--force", description = "Remove it even if projects use it; they go back to the platform key.")
        boolean force;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            target.api().delete("/v1/keys/" + ApiClient.segment(ref) + (force ? "?force=true" : ""));
            target.terminal()
                    .say("Removed key " + ref + " and its stored value"
                            + (force ? "; projects that used it are back on the platform key." : "."));
            return 0;
        }
    }

    @Command(
            name = "limit",
            mixinStandardHelpOptions = true,
            description = "Set a key's spending limit in US dollars, or remove it with `none`.",
            footer = {"", "Examples:", "  autolab keys limit personal 25", "  autolab keys limit personal none"})
    public static class Limit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KEY", description = "Key name or id prefix.")
        String ref;

        @Parameters(index = "1", paramLabel = "USD|none", description = "A limit in US dollars, or none.")
        String amount;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            var changes = ApiClient.object();
            if (amount.trim().equalsIgnoreCase("none")) {
                changes.put("clearLimit", true);
            } else {
                changes.put("limitMicroUsd", microUsd(amount, "the limit"));
            }
            Json key = target.api().patch("/v1/keys/" + ApiClient.segment(ref), changes);
            target.terminal()
                    .say("Key " + key.path("name").asText() + ": limit "
                            + (key.has("limitMicroUsd")
                                    ? usd(key.path("limitMicroUsd").asLong())
                                    : "none") + ", spent "
                            + usd(key.path("spentMicroUsd").asLong(0)) + ".");
            return 0;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Replace a key's value (hidden prompt, or stdin); its name, limit and projects stay.",
            footer = {"", "Examples:", "  autolab keys rotate personal"})
    public static class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "KEY", description = "Key name or id prefix.")
        String ref;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            Terminal term = target.terminal();
            ApiClient api = target.api();
            String value = readValue(term, "Paste the new value for " + ref + " (input is hidden): ");
            Json key = api.patch(
                    "/v1/keys/" + ApiClient.segment(ref), ApiClient.object().put("value", value));
            term.say("Rotated key " + describe(key) + "; nodes get the new value from their next request.");
            return 0;
        }
    }
}
