package dev.autolab.cli.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.autolab.cli.client.ApiClient;
import dev.autolab.cli.client.ApiException;
import dev.autolab.cli.json.Json;
import dev.autolab.cli.serve.LocalMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code autolab nodes}: a project's execution nodes (any member), and removing one (admins). */
@Command(
        name = "nodes",
        mixinStandardHelpOptions = true,
        description = "List a project's execution nodes (those `autolab serve` registered), or remove one.",
        subcommands = {NodesCommand.Rm.class},
        footer = {
            "",
            "Examples:",
            "  autolab nodes                  # the current project's nodes",
            "  autolab nodes --project alice/nanochat --json",
            "  autolab nodes rm gpu-box       # by name, id or id prefix (admin or owner)"
        })
public class NodesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static final Pattern GPU_NOISE =
            Pattern.compile("(?i)^nvidia\\s+|\\s+(\\d+\\s*GB|HBM\\d*e?|PCIe|SXM\\d*|NVL)\\b");

    private final Supplier<LocalMachine> local;

    @Option(names = "--project", paramLabel = "OWNER/NAME", description = "Default: the current project.")
    String project;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    public NodesCommand(Supplier<LocalMachine> local) {
        this.local = local;
    }

    @Override
    public Integer call() {
        Target target = Target.of(spec);
        Terminal term = target.terminal();
        String p = target.project(project);
        Json nodes = target.api().get(path(p)).path("nodes");
        if (json) {
            term.printJson(nodes);
            return 0;
        }
        if (nodes.isMissingNode() || nodes.isEmpty()) {
            term.say("No nodes in " + Sanitize.line(p) + " yet. Make a machine one with `autolab serve --project "
                    + Sanitize.line(p) + "`.");
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Json n : nodes) {
            rows.add(List.of(
                    Formats.shortId(n.path("id")),
                    Formats.text(n.path("hostname")),
                    Formats.enumName(n.path("status"), "NODE_STATUS_", "?"),
                    resources(n.path("resources"), local.get().unicode()),
                    labels(n.path("labels")),
                    Formats.ago(
                            n.path("lastSeenAt"), "never", local.get().clock().instant())));
        }
        term.out().print(Formats.table(List.of("ID", "NAME", "STATUS", "RESOURCES", "LABELS", "LAST SEEN"), rows));
        return 0;
    }

    static String path(String project) {
        return "/v1/projects/" + ApiClient.projectPath(project) + "/nodes";
    }

    /** {@code 8 CPU · 31 GiB · 1× H100} ({@code 8 CPU, 31 GiB, 1x H100} where the terminal cannot show those). */
    static String resources(Json r, boolean unicode) {
        List<String> parts = new ArrayList<>();
        parts.add(r.path("cpus").asInt(0) + " CPU");
        parts.add(memory(r.path("memoryBytes").asLong(0)));
        Map<String, Integer> gpus = new LinkedHashMap<>();
        for (Json g : r.path("gpus")) {
            gpus.merge(gpuName(g.path("model").asText("")), 1, Integer::sum);
        }
        gpus.forEach((model, count) -> parts.add(count + (unicode ? "× " : "x ") + model));
        return String.join(unicode ? " · " : ", ", parts);
    }

    static String memory(long bytes) {
        double gib = bytes / (double) (1L << 30);
        return gib >= 1
                ? Math.round(gib) + " GiB"
                : String.format(Locale.ROOT, "%d MiB", Math.round(bytes / (double) (1L << 20)));
    }

    /** {@code NVIDIA H100 80GB HBM3} → {@code H100}: the model, without the vendor and memory. */
    static String gpuName(String model) {
        String name = GPU_NOISE.matcher(model.trim()).replaceAll("").trim();
        return name.isEmpty() ? "GPU" : name;
    }

    static String labels(Json labels) {
        List<String> pairs = new ArrayList<>();
        labels.fields()
                .forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
        pairs.sort(null);
        return pairs.isEmpty() ? "-" : String.join(",", pairs);
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Remove a node from a project and revoke its credential; a running `autolab serve` on it "
                    + "is told and stops. Needs the admin role or above.",
            footer = {
                "",
                "Examples:",
                "  autolab nodes rm gpu-box",
                "  autolab nodes rm 1a2b3c4d --project alice/nanochat"
            })
    public static class Rm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NODE", description = "The node's name, id, or id prefix (4+ characters).")
        String ref;

        @Option(names = "--project", paramLabel = "OWNER/NAME", description = "Default: the current project.")
        String project;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            String p = target.project(project);
            ApiClient api = target.api();
            Json node = describe(api, p, ref);
            api.delete(path(p) + "/" + ApiClient.segment(ref));
            String what = node == null
                    ? "node " + Sanitize.line(ref)
                    : "node " + Formats.text(node.path("hostname")) + " (" + Formats.shortId(node.path("id")) + ")";
            target.terminal()
                    .say("Removed " + what + " from " + Sanitize.line(p)
                            + "; its credential is revoked and a running `autolab serve` on it stops.");
            return 0;
        }

        /** The one listed node {@code ref} names, to say what was removed; null when that is not clear. */
        private static Json describe(ApiClient api, String project, String ref) {
            Json nodes;
            try {
                nodes = api.get(path(project)).path("nodes");
            } catch (ApiException e) {
                return null; // the removal itself will say what is wrong
            }
            String lower = ref.toLowerCase(Locale.ROOT);
            List<Json> byName = new ArrayList<>();
            List<Json> byId = new ArrayList<>();
            for (Json n : nodes) {
                if (n.path("hostname").asText().equals(ref)) {
                    byName.add(n);
                }
                if (n.path("id").asText().toLowerCase(Locale.ROOT).startsWith(lower)) {
                    byId.add(n);
                }
            }
            List<Json> found = byId.size() == 1 && lower.length() >= 4 ? byId : byName;
            return found.size() == 1 ? found.get(0) : null;
        }
    }
}
