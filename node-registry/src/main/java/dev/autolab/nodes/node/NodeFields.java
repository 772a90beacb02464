package dev.autolab.nodes.node;

import java.util.Map;
import java.util.regex.Pattern;

import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;
import dev.autolab.common.text.Text;
import dev.autolab.proto.nodes.v1.Gpu;
import dev.autolab.proto.nodes.v1.Resources;

/**
 * What a node may report about itself, checked field by field: every refusal is INVALID_ARGUMENT
 * naming the field and saying what it must be. Nothing a node sends is stored unchecked, since
 * members see it in `autolab nodes` and the dashboard.
 */
public final class NodeFields {
    private static final Pattern HANDLE = Pattern.compile("^[a-z][a-z0-9-]{1,38}$");
    private static final Pattern PROJECT_NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
    /** A Kubernetes label key's name part, and its optional DNS-subdomain prefix. */
    private static final Pattern LABEL_NAME = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$");

    private static final Pattern LABEL_PREFIX =
            Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");

    public static final int MAX_MACHINE_ID = 128;
    /** As auth-service's limit on the name in {@code node@<hostname>}. */
    public static final int MAX_HOSTNAME = 64;

    public static final int MAX_LABELS = 32;
    public static final int MAX_LABEL_VALUE = 256;
    public static final int MAX_CPUS = 65_536;
    /** 1 PiB of memory on one machine. */
    public static final long MAX_MEMORY_BYTES = 1L << 50;

    public static final int MAX_GPUS = 64;
    public static final int MAX_GPU_MODEL = 256;
    /** 16 TiB on one GPU. */
    public static final long MAX_GPU_MEMORY_BYTES = 1L << 44;

    private NodeFields() {}

    /** {@code owner/name}, as auth-service spells projects. */
    public static String project(String project) {
        String p = project == null ? "" : project.trim();
        int slash = p.indexOf('/');
        if (p.isEmpty()) {
            throw Errors.invalidArgument("the field \"project\" is empty: give the project as OWNER/NAME "
                    + "(e.g. alice/nanochat, or --project)");
        }
        if (slash < 0
                || !HANDLE.matcher(p.substring(0, slash)).matches()
                || !PROJECT_NAME.matcher(p.substring(slash + 1)).matches()) {
            throw Errors.invalidArgument(
                    "the field \"project\" must be OWNER/NAME (e.g. alice/nanochat), not \"" + Text.echo(p) + "\"");
        }
        return p;
    }

    /** 1 to 128 printable ASCII characters (e.g. /etc/machine-id). */
    public static String machineId(String machineId) {
        if (machineId == null || machineId.isEmpty()) {
            throw Errors.invalidArgument("the field \"machine_id\" is empty: send a stable id of this machine "
                    + "(e.g. the contents of /etc/machine-id)");
        }
        if (machineId.length() > MAX_MACHINE_ID) {
            throw Errors.invalidArgument("the field \"machine_id\" is " + machineId.length()
                    + " characters long; it must be at most " + MAX_MACHINE_ID);
        }
        for (int i = 0; i < machineId.length(); i++) {
            char c = machineId.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw Errors.invalidArgument("the field \"machine_id\" may hold only printable ASCII characters, not \""
                        + Text.echo(machineId) + "\"");
            }
        }
        return machineId;
    }

    /**
     * The node's name: 1 to 64 printable characters, no space at either end: the same rule as
     * auth-service's, which names the node's credential {@code node@<hostname>}. No control or
     * invisible formatting characters (U+202E could make a listed name read backwards).
     */
    public static String hostname(String hostname) {
        if (hostname == null || hostname.isBlank()) {
            throw Errors.invalidArgument(
                    "the field \"hostname\" is empty: give the node a name (`autolab serve --name NAME`)");
        }
        if (hostname.codePointCount(0, hostname.length()) > MAX_HOSTNAME) {
            throw Errors.invalidArgument("the field \"hostname\" is longer than " + MAX_HOSTNAME
                    + " characters; choose a shorter name with `autolab serve --name NAME`");
        }
        if (!hostname.codePoints().allMatch(Text::isPrintable)
                || !hostname.strip().equals(hostname)) {
            throw Errors.invalidArgument("the field \"hostname\" (\"" + Text.echoPrintable(hostname)
                    + "\") may hold only letters, digits, punctuation and inner spaces; choose a plain name with"
                    + " `autolab serve --name NAME`");
        }
        return hostname;
    }

    /** At most 32 labels; keys like Kubernetes label keys, values up to 256 printable characters. */
    public static Map<String, String> labels(Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw Errors.invalidArgument(
                    "the field \"labels\" holds " + labels.size() + " labels; at most " + MAX_LABELS + " are allowed");
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            labelKey(e.getKey());
            String value = e.getValue();
            if (value.codePointCount(0, value.length()) > MAX_LABEL_VALUE || !plainText(value)) {
                throw Errors.invalidArgument("the value of the field \"labels[" + Text.echo(e.getKey())
                        + "]\" must be at most " + MAX_LABEL_VALUE
                        + " characters without control or formatting characters");
            }
        }
        return Map.copyOf(labels);
    }

    private static void labelKey(String key) {
        int slash = key.lastIndexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        boolean ok = LABEL_NAME.matcher(name).matches()
                && (prefix == null
                        || (prefix.length() <= 253
                                && LABEL_PREFIX.matcher(prefix).matches()));
        if (!ok) {
            throw Errors.invalidArgument("the field \"labels\" has a bad key \"" + Text.echo(key)
                    + "\": a key is an optional DNS prefix and '/', then 1-63 letters, digits, '-', '_' or '.',"
                    + " starting and ending with a letter or digit (e.g. gpu or example.com/zone)");
        }
    }

    /** Non-negative and bounded; GPU models without control characters. */
    public static Resources resources(Resources r) {
        if (r.getCpus() < 0 || r.getCpus() > MAX_CPUS) {
            throw outOfRange("resources.cpus", r.getCpus(), MAX_CPUS);
        }
        if (r.getMemoryBytes() < 0 || r.getMemoryBytes() > MAX_MEMORY_BYTES) {
            throw outOfRange("resources.memory_bytes", r.getMemoryBytes(), MAX_MEMORY_BYTES);
        }
        if (r.getGpusCount() > MAX_GPUS) {
            throw Errors.invalidArgument("the field \"resources.gpus\" lists " + r.getGpusCount() + " GPUs; at most "
                    + MAX_GPUS + " are allowed");
        }
        for (int i = 0; i < r.getGpusCount(); i++) {
            Gpu gpu = r.getGpus(i);
            String model = gpu.getModel();
            if (model.codePointCount(0, model.length()) > MAX_GPU_MODEL || !plainText(model)) {
                throw Errors.invalidArgument("the field \"resources.gpus[" + i + "].model\" must be at most "
                        + MAX_GPU_MODEL + " characters without control or formatting characters");
            }
            if (gpu.getMemoryBytes() < 0 || gpu.getMemoryBytes() > MAX_GPU_MEMORY_BYTES) {
                throw outOfRange("resources.gpus[" + i + "].memory_bytes", gpu.getMemoryBytes(), MAX_GPU_MEMORY_BYTES);
            }
        }
        return r;
    }

    /** No control characters and no invisible formatting ones (such as U+202E, right-to-left override). */
    private static boolean plainText(String value) {
        return !Text.hasControl(value) && value.codePoints().noneMatch(c -> Character.getType(c) == Character.FORMAT);
    }

    private static AutolabException outOfRange(String field, long value, long max) {
        return Errors.invalidArgument("the field \"" + field + "\" is " + value + "; it must be between 0 and " + max);
    }
}
