package dev.autolab.cli.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import dev.autolab.cli.command.Target;
import dev.autolab.cli.command.UsageError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autolab serve}: makes this machine an execution node of a project. Its fields and methods
 * name no gRPC type, so that building the command line (for every command) loads none; the work is
 * in {@link ServeLoop}.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Turn this machine into an execution node of a project: register it (CPUs, memory, GPUs), then stay "
                    + "connected, heartbeating, until Ctrl-C.",
            "The token (AUTOLAB_TOKEN, else your login) is used once, to register; the node then keeps its own "
                    + "credential in $XDG_STATE_HOME/autolab/ (default ~/.local/state/autolab/, owner-only), so a "
                    + "restart reconnects without a token. Registering needs the researcher role or above."
        },
        footer = {
            "",
            "Examples:",
            "  autolab serve --project alice/nanochat",
            "  AUTOLAB_TOKEN=al_… autolab serve --project alice/nanochat",
            "  TOK=$(autolab token create --name gpu-box)",
            "  ssh gpubox \"AUTOLAB_TOKEN=$TOK autolab serve --project alice/nanochat\"",
            "  autolab serve --project alice/nanochat --name gpu-1 --label zone=eu",
            "",
            "Exit codes: 0 after Ctrl-C or SIGTERM; 1 when the control plane cuts the node",
            "off (token revoked, role lost, node removed: the reason is printed); 3 when",
            "the host cannot be reached to register."
        })
public class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Supplier<LocalMachine> local;

    @Option(names = "--project", paramLabel = "OWNER/NAME", description = "Default: the current project.")
    String project;

    @Option(
            names = "--name",
            paramLabel = "N",
            description = "The name this node shows in `autolab nodes` (default: the machine's hostname).")
    String name;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label for this node; repeat for more.")
    List<String> labels = new ArrayList<>();

    public ServeCommand(Supplier<LocalMachine> local) {
        this.local = local;
    }

    @Override
    public Integer call() throws Exception {
        Target target = Target.of(spec);
        String p = target.project(project);
        if (name != null && name.isBlank()) {
            throw new UsageError("--name must not be blank");
        }
        return new ServeLoop(
                        target.terminal(), local.get(), target, p, name == null ? null : name.trim(), labels(labels))
                .run();
    }

    static Map<String, String> labels(List<String> given) {
        Map<String, String> labels = new TreeMap<>();
        for (String label : given) {
            int eq = label.indexOf('=');
            if (eq <= 0) {
                throw new UsageError("--label takes KEY=VALUE, like --label zone=eu, not \"" + label + "\"");
            }
            String key = label.substring(0, eq).trim();
            if (labels.put(key, label.substring(eq + 1).trim()) != null) {
                throw new UsageError("--label " + key + " is given twice");
            }
        }
        return labels;
    }
}
