package dev.autolab.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.auth.revocation.CredentialsRevoked;
import dev.autolab.auth.revocation.RevocationPublisher;
import dev.autolab.auth.user.Handles;
import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.Errors;
import dev.autolab.common.token.TokenCodec;
import dev.autolab.common.token.TokenType;
import io.smallrye.mutiny.Uni;

/**
 * Personal access tokens, login tokens and sessions: minting, listing, revoking and validating (node
 * credentials too). Revoking a token revokes the node credentials it registered, in the same
 * transaction ({@link NodeCascades}).
 */
@ApplicationScoped
public class TokenService {
    static final int MAX_EXPIRY_DAYS = 3650;
    /** What a token minted from a browser session lives when no expiry is asked for: a session mints only tokens that expire. */
    static final int SESSION_DEFAULT_EXPIRY_DAYS = 90;

    private static final Pattern ID_PREFIX = Pattern.compile("^[0-9a-fA-F-]{4,36}$");

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    CredentialRepository credentials;

    @Inject
    CredentialLookup lookup;

    @Inject
    AuthConfig config;

    @Inject
    Clock clock;

    @Inject
    Event<CredentialsRevoked> revoked;

    @Inject
    RevocationPublisher publisher;

    @Inject
    NodeCascades nodes;

    /** A freshly minted credential and its value, which exists nowhere else. */
    public record Minted(Credential credential, String secret) {}

    public Uni<Principal> validate(String token) {
        TokenType type = TokenCodec.typeOf(token);
        if (type == null) {
            return Uni.createFrom()
                    .failure(Errors.unauthenticated(
                            "the credential is not a valid Autolab token (mistyped or truncated?)"));
        }
        Instant now = clock.instant();
        return lookup.byHash(TokenCodec.hash(token)).chain(found -> {
            Credential c = found == null ? null : found.credential();
            if (c == null || c.kind.type() != type) {
                return Uni.createFrom()
                        .failure(
                                Errors.unauthenticated(
                                        "unknown token: it may have been deleted or never existed; sign in with `autolab login`"));
            }
            if (c.revokedAt != null && c.kind == CredentialKind.NODE) {
                return Uni.createFrom()
                        .failure(Errors.unauthenticated("the node credential \"" + c.name + "\" was revoked at "
                                + c.revokedAt + " (" + c.revokedReason + "); register the node again with"
                                + " `autolab serve`"));
            }
            if (c.revokedAt != null) {
                return Uni.createFrom()
                        .failure(Errors.unauthenticated("the token \"" + c.name + "\" was revoked at " + c.revokedAt
                                + " (" + c.revokedReason + "); sign in again"));
            }
            if (!c.isLive(now)) {
                return Uni.createFrom()
                        .failure(Errors.unauthenticated("the token \"" + c.name + "\" expired at " + c.expiresAt
                                + "; create a new one or sign in again"));
            }
            Principal principal = new Principal(
                    c.userId.toString(),
                    found.handle(),
                    c.id.toString(),
                    c.name,
                    c.kind.toProto(),
                    c.expiresAt,
                    c.nodeId == null ? null : c.nodeId.toString(),
                    c.project);
            Instant notSince = now.minus(config.lastUsedResolution());
            if (c.lastUsedAt != null && c.lastUsedAt.isAfter(notSince)) {
                return Uni.createFrom().item(principal);
            }
            return lookup.touch(c.id, now, notSince).replaceWith(principal);
        });
    }

    public Uni<Minted> createPat(Principal caller, String name, int expiresInDays) {
        return Uni.createFrom()
                .item(() -> {
                    if (expiresInDays < 0 || expiresInDays > MAX_EXPIRY_DAYS) {
                        throw Errors.invalidArgument("expiry must be between 1 and " + MAX_EXPIRY_DAYS
                                + " days (0 or none for a token that does not expire)");
                    }
                    return TokenNames.requireValid(name, "token name");
                })
                .chain(valid -> mintPat(caller, name, expiresInDays));
    }

    private Uni<Minted> mintPat(Principal caller, String name, int expiresInDays) {
        Instant now = clock.instant();
        int days = expiresInDays == 0 && caller.isSession() ? SESSION_DEFAULT_EXPIRY_DAYS : expiresInDays;
        Instant expires = days == 0 ? null : now.plus(Duration.ofDays(days));
        UUID userId = UUID.fromString(caller.userId());
        // Retiring an expired token needs no cascade: its node credentials expired with it (same expiry).
        return sessions.withTransaction(session -> credentials
                .retireName(session, userId, name, now, false, "expired")
                .chain(() -> credentials.findLiveByRef(session, userId, name, now))
                .chain(existing -> {
                    if (existing.stream().anyMatch(c -> c.name.equals(name))) {
                        throw Errors.alreadyExists("you already have a token named \"" + name
                                + "\"; revoke it first (`autolab token revoke " + name + "`) or pick another name");
                    }
                    return insert(session, userId, name, CredentialKind.PAT, now, expires);
                }));
    }

    /**
     * Mints the token a device sign-in ends with; a previous login from the same client is replaced.
     * The replaced token's revocation is announced when the caller's transaction commits (never if
     * it rolls back).
     */
    public Uni<Minted> mintLogin(Mutiny.Session session, UUID userId, String clientName) {
        Instant now = clock.instant();
        String name = "login@" + clientName;
        return credentials
                .retireName(session, userId, name, now, true, "replaced by a new login from " + clientName)
                .call(replaced -> publisher.announceOnCommit(session, replaced))
                .call(replaced -> nodes.tokensRevoked(session, replaced, now))
                .chain(() -> insert(session, userId, name, CredentialKind.LOGIN, now, null));
    }

    public Uni<Minted> mintSession(Mutiny.Session session, UUID userId) {
        Instant now = clock.instant();
        return insert(
                session, userId, "browser session", CredentialKind.SESSION, now, now.plus(config.sessionLifetime()));
    }

    public Uni<List<Credential>> list(Principal caller, boolean all) {
        return sessions.withSession(
                session -> credentials.listTokens(session, UUID.fromString(caller.userId()), all, clock.instant()));
    }

    public Uni<Credential> revoke(Principal caller, String ref) {
        if (ref == null || ref.isBlank()) {
            return Uni.createFrom().failure(Errors.invalidArgument("name the token to revoke, by name or id prefix"));
        }
        Instant now = clock.instant();
        UUID userId = UUID.fromString(caller.userId());
        return sessions.withTransaction(session -> credentials
                        .findLiveByRef(session, userId, ref, now)
                        .map(matches -> pick(ref, matches))
                        .invoke(c -> {
                            c.revokedAt = now;
                            c.revokedReason = "revoked by " + caller.handle();
                        })
                        // The token's row first, then its node credentials' (see NodeCascades).
                        .call(session::flush)
                        .call(c -> publisher.announceOnCommit(session, List.of(c.id)))
                        .call(c -> nodes.tokensRevoked(session, List.of(c.id), now)))
                .invoke(c -> announceCommitted(List.of(c.id)));
    }

    /**
     * Revokes the credential the caller is using (sign-out): at once on this replica once it commits,
     * on every replica and service through the revocation stream. Revoking it twice is not an error.
     */
    public Uni<Void> revokeSession(Principal caller) {
        Instant now = clock.instant();
        UUID id = UUID.fromString(caller.tokenId());
        // A session cannot register nodes, so its cascade finds none; it runs all the same, like every revocation.
        return sessions.withTransaction(session -> credentials
                        .revokeById(session, id, now, "signed out")
                        .call(changed -> publisher.announceOnCommit(session, changed == 0 ? List.of() : List.of(id)))
                        .call(changed -> nodes.tokensRevoked(session, List.of(id), now)))
                .invoke(() -> announceCommitted(List.of(id)))
                .replaceWithVoid();
    }

    private static Credential pick(String ref, List<Credential> matches) {
        List<Credential> byName =
                matches.stream().filter(c -> c.name.equals(ref)).toList();
        if (byName.size() == 1) {
            return byName.get(0);
        }
        List<Credential> byId = ID_PREFIX.matcher(ref).matches() && ref.length() >= 4
                ? matches.stream()
                        .filter(c -> c.id.toString().startsWith(ref.toLowerCase(java.util.Locale.ROOT)))
                        .toList()
                : List.of();
        if (byId.size() == 1) {
            return byId.get(0);
        }
        if (byId.isEmpty()) {
            String hint = ref.length() < 4 && ID_PREFIX.matcher(ref + "0000").matches()
                    ? " (an id prefix needs at least 4 characters)"
                    : "";
            throw Errors.notFound("no live token named or with an id starting with \"" + Handles.abbreviate(ref) + "\""
                    + hint + "; see `autolab token ls`");
        }
        throw Errors.invalidArgument("\"" + ref + "\" matches " + byId.size() + " tokens: "
                + byId.stream().map(c -> c.shortId() + " (" + c.name + ")").collect(Collectors.joining(", "))
                + "; give more of the id, or the name");
    }

    /** Mints a node credential bound to {@code node}: only the node flow (node/) calls it, inside its transaction. */
    public Uni<Minted> mintNode(Mutiny.Session session, Principal registering, NodeBinding node, Instant now) {
        String secret = TokenCodec.mint(TokenType.NODE);
        Credential c = new Credential();
        c.id = UUID.randomUUID();
        c.userId = UUID.fromString(registering.userId());
        c.name = "node@" + node.hostname();
        c.kind = CredentialKind.NODE;
        c.secretHash = TokenCodec.hash(secret);
        c.createdAt = now;
        // It never outlives the token that registered it.
        c.expiresAt = registering.expiresAt();
        c.nodeId = node.nodeId();
        c.projectId = node.projectId();
        c.project = node.project();
        c.sourceTokenId = UUID.fromString(registering.tokenId());
        return session.persist(c).chain(session::flush).replaceWith(() -> new Minted(c, secret));
    }

    /** What a node credential is bound to. */
    public record NodeBinding(UUID nodeId, UUID projectId, String project, String hostname) {}

    private Uni<Minted> insert(
            Mutiny.Session session, UUID userId, String name, CredentialKind kind, Instant now, Instant expires) {
        String secret = TokenCodec.mint(kind.type());
        Credential c = new Credential();
        c.id = UUID.randomUUID();
        c.userId = userId;
        c.name = name;
        c.kind = kind;
        c.secretHash = TokenCodec.hash(secret);
        c.createdAt = now;
        c.expiresAt = expires;
        return session.persist(c).chain(session::flush).replaceWith(() -> new Minted(c, secret));
    }

    /**
     * Tells this replica's caches at once, so the revoking client's next call is refused here without
     * waiting for the notification; only for a transaction that has committed.
     */
    private void announceCommitted(List<UUID> ids) {
        if (!ids.isEmpty()) {
            revoked.fire(new CredentialsRevoked(ids));
        }
    }
}
