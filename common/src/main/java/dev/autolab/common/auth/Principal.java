package dev.autolab.common.auth;

import java.time.Instant;

import com.google.protobuf.Timestamp;

import dev.autolab.proto.auth.v1.TokenKind;

/** Who is calling: a user, and the credential they called with. */
public record Principal(String userId, String handle, String tokenId, String tokenName, TokenKind kind,
        Instant expiresAt) {

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean isSession() {
        return kind == TokenKind.TOKEN_KIND_SESSION;
    }

    public static Principal fromProto(dev.autolab.proto.auth.v1.Principal p) {
        Instant expires = p.hasExpiresAt()
                ? Instant.ofEpochSecond(p.getExpiresAt().getSeconds(), p.getExpiresAt().getNanos())
                : null;
        return new Principal(p.getUserId(), p.getHandle(), p.getTokenId(), p.getTokenName(), p.getTokenKind(), expires);
    }

    public dev.autolab.proto.auth.v1.Principal toProto() {
        var b = dev.autolab.proto.auth.v1.Principal.newBuilder()
                .setUserId(userId).setHandle(handle).setTokenId(tokenId).setTokenName(tokenName).setTokenKind(kind);
        if (expiresAt != null) {
            b.setExpiresAt(Timestamp.newBuilder().setSeconds(expiresAt.getEpochSecond()).setNanos(expiresAt.getNano()));
        }
        return b.build();
    }
}
