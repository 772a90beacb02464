package dev.autolab.auth.node;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.autolab.auth.revocation.RevocationReasons;
import dev.autolab.common.error.Errors;
import dev.autolab.common.text.Text;

/** The checks on what node-registry sends about a node; each refusal says what to send instead. */
final class NodeInputs {
    static final int MAX_HOSTNAME = 64;
    private static final Pattern UUID_TEXT =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private NodeInputs() {}

    /** A node id: a UUID in its canonical 36-character form (java.util.UUID alone would take "1-2-3-4-5"). */
    static UUID nodeId(String nodeId) {
        if (nodeId == null || nodeId.isEmpty()) {
            throw Errors.invalidArgument("a node id is required: the node's UUID, as node-registry assigned it");
        }
        if (!UUID_TEXT.matcher(nodeId).matches()) {
            throw Errors.invalidArgument("\"" + Text.echoPrintable(nodeId)
                    + "\" is not a node id: send the node's UUID, e.g. 3f2b8c1e-5d4a-4f7e-9c2b-1a2b3c4d5e6f");
        }
        return UUID.fromString(nodeId.toLowerCase(Locale.ROOT));
    }

    /**
     * The name a node reports (its hostname, or `autolab serve --name`): 1-64 printable characters,
     * since it is shown in lists and messages as {@code node@<hostname>}. No control or invisible
     * formatting characters (which could rewrite what a terminal shows), and no space at either end.
     */
    static String hostname(String hostname) {
        if (hostname == null || hostname.isEmpty()) {
            throw Errors.invalidArgument(
                    "a hostname is required: the name the node reports (its hostname, or" + " `autolab serve --name`)");
        }
        if (hostname.codePointCount(0, hostname.length()) > MAX_HOSTNAME) {
            throw Errors.invalidArgument(
                    "the hostname \"" + Text.echoPrintable(hostname) + "\" is too long: use at most " + MAX_HOSTNAME
                            + " characters (`autolab serve --name` sets a shorter one)");
        }
        if (!hostname.codePoints().allMatch(Text::isPrintable)
                || !hostname.strip().equals(hostname)) {
            throw Errors.invalidArgument("the hostname \"" + Text.echoPrintable(hostname) + "\" is not printable: use"
                    + " letters, digits, punctuation and inner spaces only (`autolab serve --name` sets another)");
        }
        return hostname;
    }

    /** A revocation reason: {@code node_removed} when none is given, otherwise one lowercase word. */
    static String reason(String reason) {
        if (reason == null || reason.isEmpty()) {
            return RevocationReasons.NODE_REMOVED;
        }
        if (!RevocationReasons.isWellFormed(reason)) {
            throw Errors.invalidArgument("\"" + Text.echoPrintable(reason) + "\" is not a revocation reason: use one"
                    + " lowercase word with underscores, such as " + RevocationReasons.NODE_REMOVED
                    + " (the default when empty)");
        }
        return reason;
    }
}
