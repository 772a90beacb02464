package dev.autolab.auth.device;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One RFC 8628 device authorization request, from code request to token handover. */
@Entity
@Table(name = "device_grants")
public class DeviceGrant {
    public enum Status {
        PENDING,
        APPROVED,
        DENIED,
        CONSUMED
    }

    @Id
    public UUID id;

    @Column(name = "device_code_hash")
    public byte[] deviceCodeHash;

    @Column(name = "user_code")
    public String userCode;

    @Column(name = "client_name")
    public String clientName;

    /** The registered OAuth 2.0 client that asked ({@link DeviceClients}); only it may redeem the code. */
    @Column(name = "client_id")
    public String clientId;

    @Column(name = "client_address")
    public String clientAddress;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "last_polled_at")
    public Instant lastPolledAt;
}
