package dev.autolab.auth.device;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.auth.limit.AddressKey;
import dev.autolab.auth.limit.AttemptLimiter;
import dev.autolab.auth.limit.AttemptLimiter.Counter;
import dev.autolab.auth.limit.Limit;
import dev.autolab.auth.token.CredentialRepository;
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

    @Inject
    AttemptLimiter limiter;

    @Inject
    CredentialRepository credentials;

    @Inject
    DeviceClients clients;

    public record Started(
            String deviceCode,
            String userCode,
            String verificationUri,
            String verificationUriComplete,
            Duration expiresIn,
            Duration interval) {}

    public record Completed(TokenService.Minted token, String handle) {}

    /** What the approval page shows before the person decides (RFC 8628 §5.4). */
    public record Pending(
            String userCode,
            String clientName,
            DeviceClients.Client client,
            String clientAddress,
            Instant requestedAt,
            Instant expiresAt,
            String signedInAs,
            boolean replacesLiveLogin) {}

    /** A poll's result: the token, or the RFC 8628 error to answer with once the poll is recorded. */
    private record PollOutcome(Completed completed, AutolabException error) {}

    /**
     * Starts a sign-in for the registered client {@code clientId} (empty: the CLI) on the machine
     * {@code clientName} (empty: named after the client) at {@code clientAddress}. Each request is counted
     * per address first, so nobody can fill the table (or the user-code space) from one place.
     */
    public Uni<Started> start(String clientId, String clientName, String clientAddress) {
        DeviceClients.Client client;
        try {
            client = clients.resolve(clientId);
        } catch (AutolabException e) {
            return Uni.createFrom().failure(e);
        }
        if (clientName == null || clientName.isEmpty()) {
            clientName = client.id();
        }
        if (!CLIENT_NAME.matcher(clientName).matches()) {
            return Uni.createFrom()
                    .failure(
                            Errors.invalidArgument(
                                    "\"" + Handles.abbreviate(String.valueOf(clientName))
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
        grant.clientId = client.id();
        grant.clientAddress = clientAddress;
        grant.status = DeviceGrant.Status.PENDING;
        grant.createdAt = now;
        grant.expiresAt = now.plus(config.device().codeLifetime());
        // Gentler than sign-in: a flood is cut to one request every few seconds, and a minute's quiet resets it.
        Limit perAddress = new Limit(
                "devcode-a",
                config.throttle().freeDeviceCodesPerAddress(),
                Duration.ofSeconds(2),
                Duration.ofSeconds(8),
                Duration.ofMinutes(1));
        return limiter.reserve(
                        "sign-in requests from this address",
                        List.of(new Counter(perAddress, AddressKey.of(clientAddress))))
                .chain(() -> sessions.withTransaction(session -> freeUserCode(session, 5)
                        .chain(code -> {
                            grant.userCode = code;
                            return session.persist(grant).chain(session::flush);
                        })))
                .map(ignored -> {
                    String uri = config.publicUrl().replaceAll("/+$", "") + "/device";
                    return new Started(
                            deviceCode,
                            grant.userCode,
                            uri,
                            uri + "?code=" + grant.userCode,
                            config.device().codeLifetime(),
                            config.device().pollInterval());
                });
    }

    /** A poll by the client {@code clientId} (empty: the CLI), which must be the one the code was issued to. */
    public Uni<Completed> poll(String deviceCode, String clientId) {
        if (deviceCode == null || deviceCode.isBlank()) {
            return Uni.createFrom()
                    .failure(rfc(Status.Code.INVALID_ARGUMENT, "invalid_request", "a device code is required"));
        }
        DeviceClients.Client client;
        try {
            client = clients.resolve(clientId);
        } catch (AutolabException e) {
            return Uni.createFrom().failure(e);
        }
        Instant now = clock.instant();
        return sessions.withTransaction(session -> session.createSelectionQuery(
                                "from DeviceGrant g where g.deviceCodeHash = :hash", DeviceGrant.class)
                        .setParameter("hash", TokenCodec.hash(deviceCode))
                        .getSingleResultOrNull()
                        .chain(grant -> grant != null && !grant.clientId.equals(client.id())
                                // RFC 6749 §5.2: a grant issued to another client is invalid_grant. Said
                                // before anything else, so another client learns nothing of the grant's state.
                                ? failed(rfc(
                                        Status.Code.INVALID_ARGUMENT,
                                        "invalid_grant",
                                        "this device code was issued to another client; poll with the client_id"
                                                + " that asked for it"))
                                : decide(session, grant, now)))
                .map(outcome -> {
                    if (outcome.error() != null) {
                        throw outcome.error();
                    }
                    return outcome.completed();
                });
    }

    private Uni<PollOutcome> decide(Mutiny.Session session, DeviceGrant grant, Instant now) {
        if (grant == null) {
            return failed(rfc(
                    Status.Code.INVALID_ARGUMENT,
                    "invalid_grant",
                    "unknown device code; start again with `autolab login`"));
        }
        if (grant.status == DeviceGrant.Status.CONSUMED) {
            return failed(rfc(
                    Status.Code.FAILED_PRECONDITION,
                    "invalid_grant",
                    "this sign-in was already completed; run `autolab login` again to sign in anew"));
        }
        if (!now.isBefore(grant.expiresAt)) {
            return failed(rfc(
                    Status.Code.FAILED_PRECONDITION,
                    "expired_token",
                    "the sign-in request expired before it was approved; run `autolab login` again"));
        }
        if (grant.status == DeviceGrant.Status.DENIED) {
            return failed(rfc(Status.Code.PERMISSION_DENIED, "access_denied", "the sign-in was denied in the browser"));
        }
        if (grant.status == DeviceGrant.Status.PENDING) {
            Duration interval = config.device().pollInterval();
            boolean tooSoon = grant.lastPolledAt != null
                    && Duration.between(grant.lastPolledAt, now)
                                    .compareTo(interval.multipliedBy(3).dividedBy(4))
                            < 0;
            grant.lastPolledAt = now;
            return failed(
                    tooSoon
                            ? rfc(
                                    Status.Code.FAILED_PRECONDITION,
                                    "slow_down",
                                    "polling too fast; wait " + interval.toSeconds() + " s more between polls")
                            : rfc(
                                    Status.Code.FAILED_PRECONDITION,
                                    "authorization_pending",
                                    "waiting for the sign-in to be approved in the browser"));
        }
        grant.status = DeviceGrant.Status.CONSUMED;
        return users.findById(session, grant.userId)
                .chain(user -> tokens.mintLogin(session, grant.userId, grant.clientName)
                        .map(minted -> new PollOutcome(new Completed(minted, user.handle), null)));
    }

    /** The pending request behind a user code, as the approval page shows it. */
    public Uni<Pending> describe(Principal browser, String typed, String browserAddress) {
        Instant now = clock.instant();
        UUID userId = UUID.fromString(browser.userId());
        return withPendingGrant(
                browser,
                typed,
                browserAddress,
                (session, grant) -> credentials
                        .findLiveByRef(session, userId, "login@" + grant.clientName, now)
                        .map(live -> new Pending(
                                grant.userCode,
                                grant.clientName,
                                new DeviceClients.Client(grant.clientId, clients.nameOf(grant.clientId)),
                                grant.clientAddress,
                                grant.createdAt,
                                grant.expiresAt,
                                browser.handle(),
                                live.stream().anyMatch(c -> c.name.equals("login@" + grant.clientName)))));
    }

    public Uni<String> approve(Principal browser, String userCode, String browserAddress) {
        return decideInBrowser(browser, userCode, browserAddress, DeviceGrant.Status.APPROVED);
    }

    public Uni<String> deny(Principal browser, String userCode, String browserAddress) {
        return decideInBrowser(browser, userCode, browserAddress, DeviceGrant.Status.DENIED);
    }

    private Uni<String> decideInBrowser(
            Principal browser, String typed, String browserAddress, DeviceGrant.Status decision) {
        return withPendingGrant(browser, typed, browserAddress, (session, grant) -> {
            grant.status = decision;
            grant.userId = decision == DeviceGrant.Status.APPROVED ? UUID.fromString(browser.userId()) : null;
            return Uni.createFrom().item(grant.clientName);
        });
    }

    /**
     * Runs {@code action} on the pending grant a person typed the code of. Every lookup is counted per
     * browser session and per address before it is made, and a right code gives its attempt back, so
     * guessing someone else's code (2.6e10 of them) stops after a handful of misses.
     */
    private <T> Uni<T> withPendingGrant(
            Principal browser,
            String typed,
            String browserAddress,
            java.util.function.BiFunction<Mutiny.Session, DeviceGrant, Uni<T>> action) {
        String userCode = UserCodes.normalize(typed);
        if (userCode == null) {
            return Uni.createFrom()
                    .failure(Errors.invalidArgument("\"" + Handles.abbreviate(String.valueOf(typed))
                            + "\" is not a sign-in code: it looks like ABCD-EFGH"));
        }
        Limit wrongCodes = new Limit(
                "usercode",
                config.throttle().freeWrongUserCodes(),
                config.throttle().firstDelay(),
                config.throttle().maxDelay(),
                config.throttle().forgetAfter());
        List<Counter> counters = List.of(
                new Counter(wrongCodes, "s/" + browser.tokenId()),
                new Counter(wrongCodes, "a/" + AddressKey.of(browserAddress)));
        Instant now = clock.instant();
        return limiter.reserve("wrong sign-in codes", counters)
                .chain(() -> sessions.withTransaction(session -> session.createSelectionQuery(
                                "from DeviceGrant g where g.userCode = :code and g.status = :pending"
                                        + " and g.expiresAt > :now",
                                DeviceGrant.class)
                        .setParameter("code", userCode)
                        .setParameter("pending", DeviceGrant.Status.PENDING)
                        .setParameter("now", now)
                        .getSingleResultOrNull()
                        .chain(grant -> {
                            if (grant == null) {
                                throw Errors.notFound("no pending sign-in with code " + userCode
                                        + ": it may have expired (codes last "
                                        + config.device().codeLifetime().toMinutes()
                                        + " minutes) or been used; run `autolab login` again");
                            }
                            return action.apply(session, grant);
                        })))
                .call(found -> limiter.refund(counters.get(0)).chain(() -> limiter.refund(counters.get(1))));
    }

    /** Deletes requests that expired more than a day ago; run periodically, never on a request. */
    public Uni<Integer> sweepExpired() {
        return sessions.withTransaction(
                session -> session.createMutationQuery("delete from DeviceGrant g where g.expiresAt < :cutoff")
                        .setParameter("cutoff", clock.instant().minus(Duration.ofDays(1)))
                        .executeUpdate());
    }

    private Uni<String> freeUserCode(Mutiny.Session session, int attempts) {
        String candidate = UserCodes.generate();
        return session.createSelectionQuery(
                        "select count(g) from DeviceGrant g where g.userCode = :code" + " and g.status = :pending",
                        Long.class)
                .setParameter("code", candidate)
                .setParameter("pending", DeviceGrant.Status.PENDING)
                .getSingleResult()
                .chain(taken -> {
                    if (taken == 0) {
                        return Uni.createFrom().item(candidate);
                    }
                    if (attempts <= 1) {
                        return Uni.createFrom()
                                .failure(Errors.unavailable("could not allocate a sign-in code; try again"));
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
