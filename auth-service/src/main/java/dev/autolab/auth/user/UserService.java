package dev.autolab.auth.user;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.auth.session.HashingGate;
import dev.autolab.common.error.Errors;
import dev.autolab.common.text.Text;
import io.smallrye.mutiny.Uni;

/** Sign-up and account lookups. */
@ApplicationScoped
public class UserService {
    public static final int MIN_PASSWORD = 10;
    public static final int MAX_PASSWORD = 256;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    HashingGate hashing;

    @Inject
    AuthConfig config;

    @Inject
    Clock clock;

    private final Cache<UUID, User> recent = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(30))
            .maximumSize(10_000)
            .build();

    public record SignUp(String handle, String password, String email, String displayName) {}

    public Uni<User> signUp(SignUp request) {
        if (!config.signup().open()) {
            return Uni.createFrom()
                    .failure(Errors.permissionDenied(
                            "sign-up is closed on this deployment; ask an administrator for an account"));
        }
        return Uni.createFrom()
                .item(() -> validated(request))
                .chain(user -> hashing.run(() -> hasher.hash(request.password()))
                        .chain(hash -> {
                            user.passwordHash = hash;
                            return sessions.withTransaction(session -> users.findByHandle(session, user.handle)
                                    .chain(existing -> {
                                        if (existing != null) {
                                            throw Errors.alreadyExists(
                                                    "the handle \"" + user.handle + "\" is taken; pick another");
                                        }
                                        return users.insert(session, user);
                                    }));
                        })
                        .replaceWith(user));
    }

    private User validated(SignUp request) {
        User user = new User();
        user.id = UUID.randomUUID();
        user.handle = Handles.requireValid(request.handle());
        String password = request.password();
        if (password == null || password.length() < MIN_PASSWORD) {
            throw Errors.invalidArgument("the password must have at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > MAX_PASSWORD) {
            throw Errors.invalidArgument("the password must have at most " + MAX_PASSWORD + " characters");
        }
        String email = request.email() == null ? "" : request.email().trim();
        if (email.length() > 254 || !EMAIL.matcher(email).matches() || Text.hasControl(email)) {
            throw Errors.invalidArgument("\"" + Handles.abbreviate(email) + "\" is not an email address");
        }
        user.email = email;
        String displayName =
                request.displayName() == null ? "" : request.displayName().trim();
        if (displayName.length() > 100) {
            throw Errors.invalidArgument("the display name must have at most 100 characters");
        }
        if (Text.hasControl(displayName)) {
            throw Errors.invalidArgument("the display name contains a control character (a tab, a newline, an "
                    + "escape…); use plain text");
        }
        user.displayName = displayName.isEmpty() ? user.handle : displayName;
        user.createdAt = clock.instant();
        return user;
    }

    /**
     * A user by id, remembered for a short while: whoami is called on every CLI start, and nothing
     * in a user's profile changes through the API yet.
     */
    public Uni<User> byId(UUID id) {
        User cached = recent.getIfPresent(id);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return sessions.withSession(session -> users.findById(session, id)).invoke(user -> {
            if (user != null) {
                recent.put(id, user);
            }
        });
    }
}
