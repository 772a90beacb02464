package dev.autolab.auth.token;

import dev.autolab.common.token.TokenType;
import dev.autolab.proto.auth.v1.TokenKind;

/**
 * What a stored credential is: the proto's {@link TokenKind}, one for one (the vocabulary is written
 * down in tokens.proto), with the prefix family its value carries.
 */
public enum CredentialKind {
    PAT(TokenKind.TOKEN_KIND_PAT, TokenType.PERSONAL),
    LOGIN(TokenKind.TOKEN_KIND_LOGIN, TokenType.PERSONAL),
    SESSION(TokenKind.TOKEN_KIND_SESSION, TokenType.SESSION),
    NODE(TokenKind.TOKEN_KIND_NODE, TokenType.NODE);

    private final TokenKind proto;
    private final TokenType type;

    CredentialKind(TokenKind proto, TokenType type) {
        this.proto = proto;
        this.type = type;
    }

    public TokenKind toProto() {
        return proto;
    }

    /** The prefix its values start with. */
    public TokenType type() {
        return type;
    }
}
