package dev.autolab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.Session;
import dev.autolab.testing.Db;
import dev.autolab.testing.PostgresTestResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Password guessing is cut at the configured count, however many guesses arrive at once. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_auth"))
class SignInLimitTest {

    private static Status.Code signIn(String address, String handle, String password) {
        try {
            Session s = Api.from(Api.sessions(), address)
                    .createSession(CreateSessionRequest.newBuilder()
                            .setHandle(handle)
                            .setPassword(password)
                            .build());
            return s.getToken().isEmpty() ? Status.Code.UNKNOWN : Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    /** Runs {@code n} sign-ins at once and counts their answers by status code. */
    private static Map<Status.Code, Long> race(int n, Function<Integer, Status.Code> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Status.Code>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                calls.add(() -> attempt.apply(index));
            }
            List<Status.Code> codes = new ArrayList<>();
            for (Future<Status.Code> f : pool.invokeAll(calls)) {
                codes.add(f.get());
            }
            return codes.stream().collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fortyParallelWrongPasswordsGetFiveChecksAndTheRestWait() throws Exception {
        Api.Account alice = Api.signUp("alice");
        String attacker = Api.uniqueAddress();
        Map<Status.Code, Long> answers = race(40, i -> signIn(attacker, alice.handle(), "wrong password " + i));
        assertEquals(5L, answers.getOrDefault(Status.Code.UNAUTHENTICATED, 0L), answers.toString());
        assertEquals(35L, answers.getOrDefault(Status.Code.RESOURCE_EXHAUSTED, 0L), answers.toString());
        // Even the right password now waits: the count is per handle, not per wrong guess.
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, signIn(attacker, alice.handle(), Api.PASSWORD));
    }

    @Test
    void oneNoisyHandleLocksOutNobodyElseBehindTheSameAddress() throws Exception {
        Api.Account alice = Api.signUp("alice");
        Api.Account bob = Api.signUp("bob");
        String sharedNat = Api.uniqueAddress();
        race(40, i -> signIn(sharedNat, alice.handle(), "wrong password " + i));
        assertEquals(Status.Code.OK, signIn(sharedNat, bob.handle(), Api.PASSWORD));
        // And alice herself, from her own address, is not locked out by guesses from another.
        assertEquals(Status.Code.OK, signIn(Api.uniqueAddress(), alice.handle(), Api.PASSWORD));
    }

    @Test
    void rotatingAddressesDoesNotEscapeThePerHandleLimit() throws Exception {
        Api.Account carol = Api.signUp("carol");
        // 20 free failures per handle from anywhere; each guess from a fresh address.
        Map<Status.Code, Long> answers = race(30, i -> signIn(Api.uniqueAddress(), carol.handle(), "guess " + i));
        assertEquals(20L, answers.getOrDefault(Status.Code.UNAUTHENTICATED, 0L), answers.toString());
        assertEquals(10L, answers.getOrDefault(Status.Code.RESOURCE_EXHAUSTED, 0L), answers.toString());
    }

    @Test
    void theWaitSaysHowLongAndARightPasswordAfterItForgetsTheFailures() {
        Api.Account dave = Api.signUp("dave");
        String address = Api.uniqueAddress();
        for (int i = 0; i < 5; i++) {
            assertEquals(Status.Code.UNAUTHENTICATED, signIn(address, dave.handle(), "guess " + i));
        }
        StatusRuntimeException waiting = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> Api.from(Api.sessions(), address)
                        .createSession(CreateSessionRequest.newBuilder()
                                .setHandle(dave.handle())
                                .setPassword(Api.PASSWORD)
                                .build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, waiting.getStatus().getCode());
        assertTrue(
                waiting.getStatus().getDescription().matches("too many failed sign-ins; try again in \\d+ s"),
                waiting.getStatus().getDescription());
        Db.update(
                "UPDATE attempt_limits SET next_allowed_at = now() - interval '1 second' WHERE key LIKE ?",
                "%" + dave.handle());
        assertEquals(Status.Code.OK, signIn(address, dave.handle(), Api.PASSWORD));
        assertEquals(
                List.of(), Db.rows("SELECT key FROM attempt_limits WHERE key LIKE ?", "signin-h%:" + dave.handle()));
    }

    @Test
    void aHandleThatCannotExistIsTheSameWrongAnswerAndNoRowPerJunkValue() {
        String address = Api.uniqueAddress();
        assertEquals(Status.Code.UNAUTHENTICATED, signIn(address, "Not A Handle!" + "x".repeat(5000), "whatever"));
        assertEquals(Status.Code.UNAUTHENTICATED, signIn(address, "another junk one", "whatever"));
        assertTrue(Db.rows("SELECT key FROM attempt_limits WHERE length(key) > 200")
                .isEmpty());
    }
}
