package dev.autolab.common.auth;

/** Which credentials a gRPC method accepts. */
public enum MethodAccess {
    /** No credential needed (sign-up, sign-in, device flow, health, internal checks whose token is in the body). */
    PUBLIC,
    /** A personal access token (kind pat or login). The default. */
    TOKEN,
    /** A token or a browser session (what the dashboard calls). */
    TOKEN_OR_SESSION,
    /** A browser session only (approving devices). */
    SESSION,
    /** A node credential ({@code aln_…}) only: the node-facing RPCs (heartbeats, key resolution, usage). */
    NODE
}
