package dev.autolab.auth.user;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class UserRepository {

    public Uni<User> findByHandle(Mutiny.Session session, String handle) {
        return session.createSelectionQuery("from User where handle = :handle", User.class)
                .setParameter("handle", handle)
                .getSingleResultOrNull();
    }

    public Uni<User> findById(Mutiny.Session session, UUID id) {
        return session.find(User.class, id);
    }

    public Uni<Void> insert(Mutiny.Session session, User user) {
        return session.persist(user).chain(session::flush);
    }
}
