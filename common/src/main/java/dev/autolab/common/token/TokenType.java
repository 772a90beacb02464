package dev.autolab.common.token;

/** The three credential kinds that share one format, told apart by their prefix. */
public enum TokenType {
    /** Personal access tokens, including the ones browser login mints. */
    PERSONAL("al_"),
    /** Browser sessions: approving devices and the dashboard only. */
    SESSION("als_"),
    /** Execution node credentials, bound to one node. */
    NODE("aln_");

    private final String prefix;

    TokenType(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }
}
