package dev.autolab.common.auth;

import java.time.Instant;

import com.google.protobuf.Timestamp;

import dev.autolab.proto.auth.v1.TokenKind;

/**
 * Who is calling: a user, and the credential they called with. A node credential also names its node
 * and project ({@code nodeId} and {@code project} are null for every other kind).
 */
public record Principal(
        String userId,
        String handle,
        String tokenId,
        String tokenName,
        TokenKind kind,
        Instant expiresAt,
        String nodeId,
        String project) {

    /** A user's own credential (PAT, login or session): no node, no project binding. */
    public Principal(
            String userId, String handle, String tokenId, String tokenName, TokenKind kind, Instant expiresAt) {
        this(userId, handle, tokenId, tokenName, kind, expiresAt, null, null);
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean isSession() {
        return kind == TokenKind.TOKEN_KIND_SESSION;
    }

    public boolean isNode() {
        return kind == TokenKind.TOKEN_KIND_NODE;
    }

    public static Principal fromProto(dev.autolab.proto.auth.v1.Principal p) {
        Instant expires = p.hasExpiresAt()
                ? Instant.ofEpochSecond(
                        p.getExpiresAt().getSeconds(), p.getExpiresAt().getNanos())
                : null;
        return new Principal(
                p.getUserId(),
                p.getHandle(),
                p.getTokenId(),
                p.getTokenName(),
                p.getTokenKind(),
                expires,
                p.getNodeId().isEmpty() ? null : p.getNodeId(),
                p.getProject().isEmpty() ? null : p.getProject());
    }

    public dev.autolab.proto.auth.v1.Principal toProto() {
        var b = dev.autolab.proto.auth.v1.Principal.newBuilder()
                .setUserId(userId)
                .setHandle(handle)
                .setTokenId(tokenId)
                .setTokenName(tokenName)
                .setTokenKind(kind);
        if (nodeId != null) {
            b.setNodeId(nodeId);
        }
        if (project != null) {
            b.setProject(project);
        }
        if (expiresAt != null) {
            b.setExpiresAt(Timestamp.newBuilder()
                    .setSeconds(expiresAt.getEpochSecond())
                    .setNanos(expiresAt.getNano()));
        }
        return b.build();
    }
}
