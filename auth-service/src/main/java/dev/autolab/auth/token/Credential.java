package dev.autolab.auth.token;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A PAT, login token or browser session. Only the SHA-256 of its value is stored. */
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

    public boolean isLive(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** The short id people see and type: the UUID's first 8 hex characters. */
    public String shortId() {
        return id.toString().substring(0, 8);
    }
}
