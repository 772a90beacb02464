package dev.autolab.auth.revocation;

import java.util.regex.Pattern;

/**
 * Why a node credential stopped working: the machine-readable words of {@code Revocations.reasons}
 * that node-registry passes on to the node in its {@code Disconnect} (agent.proto).
 */
public final class RevocationReasons {
    /** The PAT (or login token) that registered the node was revoked. */
    public static final String TOKEN_REVOKED = "token_revoked";
    /** The registering user dropped below researcher on the project, left it, or it was deleted. */
    public static final String ROLE_LOST = "role_lost";
    /** The node was removed (RevokeNodeCredentials' default). */
    public static final String NODE_REMOVED = "node_removed";
    /** The machine registered again and holds a newer credential. */
    public static final String NODE_REREGISTERED = "node_reregistered";

    /** A reason is one lowercase word with underscores: it travels in NOTIFY payloads and to nodes. */
    private static final Pattern WORD = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

    private RevocationReasons() {}

    public static boolean isWellFormed(String reason) {
        return reason != null && WORD.matcher(reason).matches();
    }
}
