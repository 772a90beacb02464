package dev.autolab.common.concurrent;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Runs blocking or CPU-heavy work (password hashing, blocking clients) on the worker pool and
 * resumes on the caller's event loop, which Hibernate Reactive requires (HR000068 otherwise).
 */
@ApplicationScoped
public class BlockingWork {
    @Inject
    Vertx vertx;

    public <T> Uni<T> run(Supplier<T> work) {
        return vertx.executeBlocking(Uni.createFrom().item(work), false);
    }
}
