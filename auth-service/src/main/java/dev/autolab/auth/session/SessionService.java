package dev.autolab.auth.session;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.autolab.auth.token.TokenService;
import dev.autolab.auth.user.Handles;
import dev.autolab.auth.user.PasswordHasher;
import dev.autolab.auth.user.User;
import dev.autolab.auth.user.UserRepository;
import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;
import io.smallrye.mutiny.Uni;

/** Browser sign-in with handle and password; the result is a session, not a PAT. */
@ApplicationScoped
public class SessionService {
    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    HashingGate hashing;

    @Inject
    TokenService tokens;

    @Inject
    LoginThrottle throttle;

    public record SignedIn(User user, TokenService.Minted session) {}

    /**
     * Reserves the attempt first (so parallel guesses cannot outrun the count), then checks the
     * password on a bounded worker pool, then mints the session.
     */
    public Uni<SignedIn> signIn(String handle, String password, String clientAddress) {
        String typed = handle == null ? "" : handle.trim().toLowerCase(Locale.ROOT);
        // A handle that cannot exist is still checked against the decoy hash (same timing, same answer),
        // and counted under one name so that junk input cannot grow the counters table.
        String who = Handles.isValid(typed) ? typed : "(not a handle)";
        String attempt = password == null ? "" : password;
        LoginThrottle.Attempt counted = throttle.attempt(who, clientAddress);
        return throttle.reserve(counted)
                .chain(() -> Handles.isValid(typed)
                        ? sessions.withSession(session -> users.findByHandle(session, typed))
                        : Uni.createFrom().<User>nullItem())
                .chain(user -> hashing.run(() -> hasher.verify(attempt, user == null ? null : user.passwordHash))
                        .onFailure(AutolabException.class)
                        .call(busy -> throttle.unused(counted))
                        .chain(ok -> {
                            if (!ok) {
                                // The same answer for an unknown handle and a wrong password.
                                return Uni.createFrom()
                                        .<User>failure(Errors.unauthenticated("wrong handle or password"));
                            }
                            return throttle.succeeded(counted).replaceWith(user);
                        }))
                .chain(user -> sessions.withTransaction(session -> tokens.mintSession(session, user.id))
                        .map(minted -> new SignedIn(user, minted)));
    }

    /** Signs out: the browser session the call was made with stops working everywhere. */
    public Uni<Void> signOut(Principal caller) {
        if (!caller.isSession()) {
            return Uni.createFrom()
                    .failure(
                            Errors.permissionDenied(
                                    "signing out ends a browser session; to end a token, use `autolab token revoke` or `autolab logout`"));
        }
        return tokens.revokeSession(caller);
    }
}
