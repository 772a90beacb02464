package dev.autolab.auth.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.autolab.auth.token.TokenService;
import dev.autolab.auth.user.PasswordHasher;
import dev.autolab.auth.user.User;
import dev.autolab.auth.user.UserRepository;
import dev.autolab.common.concurrent.BlockingWork;
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
    BlockingWork blocking;
    @Inject
    TokenService tokens;
    @Inject
    LoginThrottle throttle;

    public record SignedIn(User user, TokenService.Minted session) {
    }

    public Uni<SignedIn> signIn(String handle, String password, String clientAddress) {
        String who = handle == null ? "" : handle.trim().toLowerCase();
        try {
            throttle.check(who, clientAddress);
        } catch (RuntimeException refusal) {
            return Uni.createFrom().failure(refusal);
        }
        String attempt = password == null ? "" : password;
        return sessions.withSession(session -> users.findByHandle(session, who))
                .chain(user -> blocking.run(() -> hasher.verify(attempt, user == null ? null : user.passwordHash))
                        .map(ok -> {
                            if (!ok) {
                                throttle.failed(who, clientAddress);
                                // The same answer for an unknown handle and a wrong password.
                                throw Errors.unauthenticated("wrong handle or password");
                            }
                            throttle.succeeded(who);
                            return user;
                        }))
                .chain(user -> sessions.withTransaction(session -> tokens.mintSession(session, user.id))
                        .map(minted -> new SignedIn(user, minted)));
    }
}
