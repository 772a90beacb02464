package dev.autolab.auth.device;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.auth.token.TokenService;
import dev.autolab.auth.user.Handles;
import dev.autolab.auth.user.UserRepository;
import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;
import dev.autolab.common.token.TokenCodec;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;

/** The OAuth 2.0 device authorization grant (RFC 8628) that `autolab login` signs in with. */
@ApplicationScoped
public class DeviceFlowService {
    private static final Pattern CLIENT_NAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Mutiny.SessionFactory sessions;
    @Inject
    TokenService tokens;
    @Inject
    UserRepository users;
    @Inject
    AuthConfig config;
    @Inject
    Clock clock;

    public record Started(String deviceCode, String userCode, String verificationUri, String verificationUriComplete,
            Duration expiresIn, Duration interval) {
    }

    public record Completed(TokenService.Minted token, String handle) {
    }

    /** A poll's result: the token, or the RFC 8628 error to answer with once the poll is recorded. */
    private record PollOutcome(Completed completed, AutolabException error) {
    }

    public Uni<Started> start(String clientName) {
        if (clientName == null || !CLIENT_NAME.matcher(clientName).matches()) {
            return Uni.createFrom().failure(Errors.invalidArgument("\"" + Handles.abbreviate(String.valueOf(clientName))
                    + "\" is not a valid client name: use 1-64 letters, digits, '.', '_' or '-' (the hostname)"));
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String deviceCode = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        DeviceGrant grant = new DeviceGrant();
        grant.id = UUID.randomUUID();
        grant.deviceCodeHash = TokenCodec.hash(deviceCode);
        grant.clientName = clientName;
        grant.status = DeviceGrant.Status.PENDING;
        grant.createdAt = now;
        grant.expiresAt = now.plus(config.device().codeLifetime());
        return sessions.withTransaction(session -> session
                .createMutationQuery("delete from DeviceGrant g where g.expiresAt < :cutoff")
                .setParameter("cutoff", now.minus(Duration.ofDays(1)))
                .executeUpdate()
                .chain(() -> freeUserCode(session, 5))
                .chain(code -> {
                    grant.userCode = code;
                    return session.persist(grant).chain(session::flush);
                }))
                .map(ignored -> {
                    String uri = config.publicUrl().replaceAll("/+$", "") + "/device";
                    return new Started(deviceCode, grant.userCode, uri, uri + "?code=" + grant.userCode,
                            config.device().codeLifetime(), config.device().pollInterval());
                });
    }

    public Uni<Completed> poll(String deviceCode) {
        if (deviceCode == null || deviceCode.isBlank()) {
            return Uni.createFrom().failure(rfc(Status.Code.INVALID_ARGUMENT, "invalid_request", "a device code is required"));
        }
        Instant now = clock.instant();
        return sessions.withTransaction(session -> session
                .createSelectionQuery("from DeviceGrant g where g.deviceCodeHash = :hash", DeviceGrant.class)
                .setParameter("hash", TokenCodec.hash(deviceCode))
                .getSingleResultOrNull()
                .chain(grant -> decide(session, grant, now)))
                .map(outcome -> {
                    if (outcome.error() != null) {
                        throw outcome.error();
                    }
                    return outcome.completed();
                });
    }

    private Uni<PollOutcome> decide(Mutiny.Session session, DeviceGrant grant, Instant now) {
        if (grant == null) {
            return failed(rfc(Status.Code.INVALID_ARGUMENT, "invalid_grant",
                    "unknown device code; start again with `autolab login`"));
        }
        if (grant.status == DeviceGrant.Status.CONSUMED) {
            return failed(rfc(Status.Code.FAILED_PRECONDITION, "invalid_grant",
                    "this sign-in was already completed; run `autolab login` again to sign in anew"));
        }
        if (!now.isBefore(grant.expiresAt)) {
            return failed(rfc(Status.Code.FAILED_PRECONDITION, "expired_token",
                    "the sign-in request expired before it was approved; run `autolab login` again"));
        }
        if (grant.status == DeviceGrant.Status.DENIED) {
            return failed(rfc(Status.Code.PERMISSION_DENIED, "access_denied", "the sign-in was denied in the browser"));
        }
        if (grant.status == DeviceGrant.Status.PENDING) {
            Duration interval = config.device().pollInterval();
            boolean tooSoon = grant.lastPolledAt != null
                    && Duration.between(grant.lastPolledAt, now).compareTo(interval.multipliedBy(3).dividedBy(4)) < 0;
            grant.lastPolledAt = now;
            return failed(tooSoon
                    ? rfc(Status.Code.FAILED_PRECONDITION, "slow_down",
                            "polling too fast; wait " + interval.toSeconds() + " s more between polls")
                    : rfc(Status.Code.FAILED_PRECONDITION, "authorization_pending",
                            "waiting for the sign-in to be approved in the browser"));
        }
        grant.status = DeviceGrant.Status.CONSUMED;
        return users.findById(session, grant.userId).chain(user -> tokens.mintLogin(session, grant.userId,
                grant.clientName).map(minted -> new PollOutcome(new Completed(minted, user.handle), null)));
    }

    public Uni<String> approve(Principal browser, String userCode) {
        return decideInBrowser(browser, userCode, DeviceGrant.Status.APPROVED);
    }

    public Uni<String> deny(Principal browser, String userCode) {
        return decideInBrowser(browser, userCode, DeviceGrant.Status.DENIED);
    }

    private Uni<String> decideInBrowser(Principal browser, String typed, DeviceGrant.Status decision) {
        String userCode = UserCodes.normalize(typed);
        if (userCode == null) {
            return Uni.createFrom().failure(Errors.invalidArgument("\"" + Handles.abbreviate(String.valueOf(typed))
                    + "\" is not a sign-in code: it looks like ABCD-EFGH"));
        }
        Instant now = clock.instant();
        return sessions.withTransaction(session -> session
                .createSelectionQuery("from DeviceGrant g where g.userCode = :code and g.status = :pending"
                        + " and g.expiresAt > :now", DeviceGrant.class)
                .setParameter("code", userCode)
                .setParameter("pending", DeviceGrant.Status.PENDING)
                .setParameter("now", now)
                .getSingleResultOrNull()
                .map(grant -> {
                    if (grant == null) {
                        throw Errors.notFound("no pending sign-in with code " + userCode
                                + ": it may have expired (codes last " + config.device().codeLifetime().toMinutes()
                                + " minutes) or been used; run `autolab login` again");
                    }
                    grant.status = decision;
                    grant.userId = decision == DeviceGrant.Status.APPROVED ? UUID.fromString(browser.userId()) : null;
                    return grant.clientName;
                }));
    }

    private Uni<String> freeUserCode(Mutiny.Session session, int attempts) {
        String candidate = UserCodes.generate();
        return session.createSelectionQuery("select count(g) from DeviceGrant g where g.userCode = :code"
                + " and g.status = :pending", Long.class)
                .setParameter("code", candidate)
                .setParameter("pending", DeviceGrant.Status.PENDING)
                .getSingleResult()
                .chain(taken -> {
                    if (taken == 0) {
                        return Uni.createFrom().item(candidate);
                    }
                    if (attempts <= 1) {
                        return Uni.createFrom().failure(Errors.unavailable("could not allocate a sign-in code; try again"));
                    }
                    return freeUserCode(session, attempts - 1);
                });
    }

    private static Uni<PollOutcome> failed(AutolabException error) {
        return Uni.createFrom().item(new PollOutcome(null, error));
    }

    private static AutolabException rfc(Status.Code code, String error, String message) {
        return Errors.withReason(code, error, error + ": " + message);
    }
}
