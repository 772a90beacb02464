package dev.autolab.auth.token;

import dev.autolab.proto.auth.v1.TokenKind;

/** What a stored credential is; see {@link TokenKind}. */
public enum CredentialKind {
    PAT(TokenKind.TOKEN_KIND_PAT),
    LOGIN(TokenKind.TOKEN_KIND_LOGIN),
    SESSION(TokenKind.TOKEN_KIND_SESSION);

    private final TokenKind proto;

    CredentialKind(TokenKind proto) {
        this.proto = proto;
    }

    public TokenKind toProto() {
        return proto;
    }
}
