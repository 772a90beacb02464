package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import dev.autolab.auth.revocation.RevocationPublisher;
import dev.autolab.auth.token.TokenService;
import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.auth.v1.RevokeTokenRequest;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import dev.autolab.testing.Db;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/** Revocations are announced after they commit, on every path, and pushed to every watcher at once. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class RevocationTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Inject
    TokenService tokens;

    @Inject
    RevocationPublisher publisher;

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    RevocationEvents events;

    private static UUID userIdOf(String handle) {
        return UUID.fromString(
                Db.rows("SELECT id FROM users WHERE handle = ?", handle).get(0).get(0));
    }

    private static String tokenIdOf(String token) {
        return Api.users(token)
                .whoAmI(WhoAmIRequest.getDefaultInstance())
                .getToken()
                .getId();
    }

    private <T> T inVertx(java.util.function.Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }

    private TokenService.Minted login(UUID user, String client) throws Throwable {
        return inVertx(() -> sessions.withTransaction(s -> tokens.mintLogin(s, user, client)));
    }

    @Test
    void watchingNeedsNoCredentialAndStartsWithAnEmptyMessage() throws Exception {
        try (Watch watch = new Watch()) {
            assertEquals(Revocations.getDefaultInstance(), watch.first());
        }
    }

    @Test
    void aRevokedTokenIsPushedToWatchersAndRefusedHereAtOnce() throws Exception {
        Api.Account alice = Api.signUp("alice");
        String id = tokenIdOf(alice.token()); // also warms this replica's cache
        try (Watch watch = new Watch()) {
            watch.first();
            String session = Api.sessionOf(alice.handle());
            Api.tokens(session)
                    .revokeToken(RevokeTokenRequest.newBuilder().setRef("test").build());
            assertEquals(List.of(id), watch.nextIds(SECOND));
        }
        assertEquals(
                Status.Code.UNAUTHENTICATED,
                Api.refusal(() -> Api.users(alice.token()).whoAmI(WhoAmIRequest.getDefaultInstance()))
                        .getCode());
        assertTrue(events.announced(UUID.fromString(id)));
        events.seen.stream()
                .filter(s -> s.id().toString().equals(id))
                .forEach(s -> assertTrue(s.committed(), "announced before its revocation committed"));
    }

    @Test
    void aLoginReplacedByANewOneIsAnnouncedOnlyAfterCommit() throws Throwable {
        Api.Account alice = Api.signUp("alice");
        UUID user = userIdOf(alice.handle());
        TokenService.Minted first = login(user, "box");
        assertEquals(first.credential().id.toString(), tokenIdOf(first.secret()));
        try (Watch watch = new Watch()) {
            watch.first();
            login(user, "box");
            assertEquals(List.of(first.credential().id.toString()), watch.nextIds(SECOND));
        }
        assertTrue(events.announced(first.credential().id));
        // Announced inside the transaction, the event would meet an uncommitted row.
        events.seen.stream()
                .filter(s -> s.id().equals(first.credential().id))
                .forEach(s -> assertTrue(s.committed(), "announced before its revocation committed"));
        assertEquals(
                Status.Code.UNAUTHENTICATED,
                Api.refusal(() -> Api.users(first.secret()).whoAmI(WhoAmIRequest.getDefaultInstance()))
                        .getCode());
    }

    @Test
    void aRolledBackRevocationAnnouncesNothing() throws Throwable {
        Api.Account alice = Api.signUp("alice");
        UUID user = userIdOf(alice.handle());
        TokenService.Minted first = login(user, "box");
        String patId = tokenIdOf(alice.token());
        try (Watch watch = new Watch()) {
            watch.first();
            IllegalStateException boom = new IllegalStateException("boom");
            Throwable failed = assertThrows(
                    Throwable.class,
                    () -> inVertx(() -> sessions.withTransaction(
                            s -> tokens.mintLogin(s, user, "box").invoke(minted -> {
                                throw boom;
                            }))));
            assertEquals("boom", failed.getMessage());
            // A later committed revocation arrives; notifications come in commit order, so had the
            // rolled-back one been announced, it would have come first.
            Api.tokens(alice.token())
                    .revokeToken(RevokeTokenRequest.newBuilder().setRef("test").build());
            assertEquals(List.of(patId), watch.nextIds(SECOND));
        }
        assertFalse(events.announced(first.credential().id), "the rolled-back revocation was announced");
        assertEquals(first.credential().id.toString(), tokenIdOf(first.secret()), "and the login still works");
    }

    @Test
    void signingOutRevokesTheSessionEverywhereOnce() throws Throwable {
        Api.Account alice = Api.signUp("alice");
        String session = Api.sessionOf(alice.handle());
        String sessionId = tokenIdOf(session);
        dev.autolab.common.auth.Principal caller = new dev.autolab.common.auth.Principal(
                userIdOf(alice.handle()).toString(),
                alice.handle(),
                sessionId,
                "browser session",
                dev.autolab.proto.auth.v1.TokenKind.TOKEN_KIND_SESSION,
                null);
        try (Watch watch = new Watch()) {
            watch.first();
            inVertx(() -> tokens.revokeSession(caller));
            assertEquals(
                    Status.Code.UNAUTHENTICATED,
                    Api.refusal(() -> Api.users(session).whoAmI(WhoAmIRequest.getDefaultInstance()))
                            .getCode(),
                    "refused on this replica as soon as the call returns");
            assertEquals(List.of(sessionId), watch.nextIds(SECOND));
            inVertx(() -> tokens.revokeSession(caller)); // a second sign-out is not an error, and no news
            Api.tokens(alice.token())
                    .revokeToken(RevokeTokenRequest.newBuilder().setRef("test").build());
            assertEquals(List.of(tokenIdOfRevoked(alice.handle(), "test")), watch.nextIds(SECOND));
        }
    }

    private static String tokenIdOfRevoked(String handle, String name) {
        return Db.rows(
                        "SELECT c.id FROM credentials c JOIN users u ON u.id = c.user_id WHERE u.handle = ?"
                                + " AND c.name = ?",
                        handle,
                        name)
                .get(0)
                .get(0);
    }

    /** What another replica's revocation looks like from here: its row change and its NOTIFY, committed together. */
    private static void revokeAsAnotherReplica(String id) throws java.sql.SQLException {
        try (java.sql.Connection c = Db.connect()) {
            c.setAutoCommit(false);
            try (var update = c.prepareStatement("UPDATE credentials SET revoked_at = now(),"
                            + " revoked_reason = 'revoked on replica b' WHERE id = ?");
                    var notify = c.prepareStatement("SELECT pg_notify('autolab_revocations', ?)")) {
                update.setObject(1, UUID.fromString(id));
                update.executeUpdate();
                notify.setString(1, id);
                notify.execute();
            }
            c.commit();
        }
    }

    @Test
    void aRevocationCommittedByAnotherReplicaReachesThisOnesCacheAndWatchers() throws Exception {
        Api.Account alice = Api.signUp("alice");
        String id = tokenIdOf(alice.token()); // cached here now
        try (Watch watch = new Watch()) {
            watch.first();
            long start = System.nanoTime();
            revokeAsAnotherReplica(id);
            assertEquals(List.of(id), watch.nextIds(SECOND));
            Status refused = Api.refusal(() -> Api.users(alice.token()).whoAmI(WhoAmIRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getCode());
            assertTrue(refused.getDescription().contains("revoked"), refused.getDescription());
            System.out.printf(
                    "another replica's revocation refused here after %.1f ms%n", (System.nanoTime() - start) / 1e6);
            assertTrue(System.nanoTime() - start < SECOND.toNanos());
        }
    }

    @Test
    void manyIdsAreSplitAcrossNotificationsAndAllArrive() throws Throwable {
        List<UUID> ids =
                IntStream.range(0, 500).mapToObj(i -> UUID.randomUUID()).toList();
        try (Watch watch = new Watch()) {
            watch.first();
            inVertx(() -> sessions.withTransaction(s -> publisher.announceOnCommit(s, ids)));
            List<String> got = new ArrayList<>();
            while (got.size() < ids.size()) {
                got.addAll(watch.nextIds(Duration.ofSeconds(5)));
            }
            assertEquals(ids.stream().map(UUID::toString).toList(), got);
        }
    }

    @Test
    void losingTheListenConnectionEndsTheStreamsUntilItIsBack() throws Exception {
        Api.Account alice = Api.signUp("alice");
        String id = tokenIdOf(alice.token());
        try (Watch watch = new Watch()) {
            watch.first();
            List<List<String>> killed = Db.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'autolab-revocations'");
            assertEquals(1, killed.size(), "one listening connection");
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (watch.end() == null && System.nanoTime() < end) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertNotNull(watch.end(), "the stream ends when this replica may miss revocations");
            assertEquals(Status.Code.UNAVAILABLE, watch.end().getCode());
        }
        // Reconnected (with backoff): a new stream is live and revocations flow again.
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Watch again = new Watch()) {
                Revocations first = again.next(Duration.ofSeconds(5));
                assertEquals(Revocations.getDefaultInstance(), first);
                Api.tokens(alice.token())
                        .revokeToken(
                                RevokeTokenRequest.newBuilder().setRef("test").build());
                assertEquals(List.of(id), again.nextIds(SECOND));
                return;
            } catch (AssertionError refusedWhileReconnecting) {
                if (System.nanoTime() > end) {
                    throw refusedWhileReconnecting;
                }
            }
        }
    }
}
