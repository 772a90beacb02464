package dev.autolab.cli.serve;

import dev.autolab.cli.command.Sanitize;

/** Why the control plane cut this node off, in words for the person running {@code serve}. */
final class DisconnectReason {
    static final String LEASE_EXPIRED = "lease_expired";

    private DisconnectReason() {}

    static String explain(String reason, String message, String project) {
        String p = Sanitize.line(project);
        return switch (reason) {
            case "token_revoked" ->
                "the token that registered this node was revoked; run `autolab serve` again " + "with a valid token";
            case "role_lost" ->
                "your role on " + p + " no longer allows running a node there (researcher or "
                        + "above is needed); ask an admin of " + p + ", then run `autolab serve` again";
            case "node_removed" ->
                "this node was removed from " + p + " (`autolab nodes rm`); run `autolab serve` "
                        + "again to register it anew";
            case "node_reregistered" ->
                "this machine was registered again with " + p + " (another `autolab "
                        + "serve` on it?); this one stops";
            case "credential_invalid" ->
                "this node's credential stopped working (for example the token that "
                        + "registered it expired); run `autolab serve` again with a valid token";
            default ->
                "the control plane disconnected this node"
                        + (message == null || message.isBlank() ? "" : ": " + Sanitize.line(message))
                        + " (reason \"" + Sanitize.line(reason) + "\")";
        };
    }
}
