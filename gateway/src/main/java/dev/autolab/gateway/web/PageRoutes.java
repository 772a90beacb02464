package dev.autolab.gateway.web;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.gateway.Failures;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The browser pages' routes, installed by web/ itself so the gateway's root package need not know the
 * pages (it installs what every request shares: request id, access log, pass-through, the failure handler).
 */
@Singleton
public class PageRoutes {
    @Inject
    WebPages pages;

    void install(@Observes Router router) {
        BodyHandler forms = BodyHandler.create(false).setBodyLimit(16 * 1024);
        router.get("/").order(-80).handler(pages::home);
        router.get("/signin").order(-80).handler(pages::signInForm);
        formPost(router, "/signin", forms, pages::signIn);
        router.get("/signup").order(-80).handler(pages::signUpForm);
        formPost(router, "/signup", forms, pages::signUp);
        router.get("/device").order(-80).handler(pages::deviceForm);
        formPost(router, "/device", forms, pages::decideDevice);
        formPost(router, "/signout", forms, pages::signOut);
    }

    /** A page's form POST: the body decoded by {@code forms}, whose failures are the client's (4xx). */
    private static void formPost(Router router, String path, BodyHandler forms, Handler<RoutingContext> page) {
        // Vert.x wants a body handler first on its route: the marker goes on a route of its own just before.
        router.post(path).order(-81).handler(Failures::readingBody);
        router.post(path).order(-80).handler(forms).handler(Failures::bodyRead).handler(page);
    }
}
