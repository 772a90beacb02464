package dev.autolab.auth.token;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A PAT, login token, browser session or node credential. Only the SHA-256 of its value is stored.
 * A node credential (kind NODE) also names its node, its project and the token that registered it.
 */
@Entity
@Table(name = "credentials")
public class Credential {
    @Id
    public UUID id;

    @Column(name = "user_id")
    public UUID userId;

    public String name;

    @Enumerated(EnumType.STRING)
    public CredentialKind kind;

    @Column(name = "secret_hash")
    public byte[] secretHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_reason")
    public String revokedReason;

    /** For kind NODE only (null otherwise): the node it is bound to. */
    @Column(name = "node_id")
    public UUID nodeId;

    /** For kind NODE only: the project's id, and its {@code owner/name}. */
    @Column(name = "project_id")
    public UUID projectId;

    public String project;

    /** For kind NODE only: the PAT or login token that registered the node. */
    @Column(name = "source_token_id")
    public UUID sourceTokenId;

    public boolean isLive(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** The short id people see and type: the UUID's first 8 hex characters. */
    public String shortId() {
        return id.toString().substring(0, 8);
    }
}
