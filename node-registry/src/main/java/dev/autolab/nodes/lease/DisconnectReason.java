package dev.autolab.nodes.lease;

/**
 * Why a node's stream is ended (agent.proto Disconnect.reason), with what its operator reads. The node
 * reconnects only after {@link #LEASE_EXPIRED}; for the others it stops and prints the message.
 */
public enum DisconnectReason {
    TOKEN_REVOKED(
            "token_revoked",
            "the token that registered this node was revoked; register the node again with a valid token"
                    + " (`autolab serve`)"),
    ROLE_LOST(
            "role_lost",
            "the user who registered this node is no longer researcher or higher on the project; ask a project"
                    + " admin for the role, or register the node with a member's token (`autolab serve`)"),
    NODE_REMOVED(
            "node_removed", "this node was removed from the project; run `autolab serve` again to register it anew"),
    NODE_REREGISTERED(
            "node_reregistered",
            "this machine registered again and the newer registration holds the node's credential;"
                    + " stop this copy of `autolab serve`"),
    LEASE_EXPIRED("lease_expired", "no heartbeat arrived within the lease; reconnect to get a new one"),
    CREDENTIAL_INVALID(
            "credential_invalid",
            "the node credential no longer works (it expired or was revoked); register the node again"
                    + " (`autolab serve`)");

    private final String code;
    private final String message;

    DisconnectReason(String code, String message) {
        this.code = code;
        this.message = message;
    }

    /** Machine-readable, as in Revocations.reasons and Disconnect.reason. */
    public String code() {
        return code;
    }

    /** For people. */
    public String message() {
        return message;
    }

    /** The reason auth-service gave for a revoked credential; {@link #CREDENTIAL_INVALID} when none or unknown. */
    public static DisconnectReason fromCode(String code) {
        for (DisconnectReason r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        return CREDENTIAL_INVALID;
    }
}
