package dev.autolab.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.TestGatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * {@link SessionCookie#usableFrom}: which requests may act with the browser's session. Reads (GET) take
 * it as they always did; a write takes it only with this gateway's own Origin; a cookie sent twice (a
 * sibling subdomain tossed one in) is never taken. Two gateways on one Vert.x: plain-http loopback
 * development, and an https public URL.
 */
class SessionCookieTest {
    private static final String SESSION = "als_thesession";
    private static final String HTTPS = "https://autolab.example.org";
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Vertx vertx;
    private static int devPort;
    private static int httpsPort;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        devPort = serve(new TestGatewayConfig("http://localhost:8080"));
        httpsPort = serve(new TestGatewayConfig(HTTPS));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    /** A server answering with what usableFrom returns ("null" for no session). */
    private static int serve(TestGatewayConfig config) throws Exception {
        SessionCookie sessions = new SessionCookie();
        sessions.config = config;
        Router router = Router.router(vertx);
        router.route().handler(ctx -> ctx.response().end(String.valueOf(sessions.usableFrom(ctx))));
        HttpServer server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        return server.actualPort();
    }

    /** headers: name, value, … */
    private static String usable(int port, String method, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/tokens"))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String dev(String method, String... headers) throws Exception {
        return usable(devPort, method, headers);
    }

    private static String https(String method, String... headers) throws Exception {
        return usable(httpsPort, method, headers);
    }

    private static final String DEV_COOKIE = SessionCookie.NAME + "=" + SESSION;
    private static final String HTTPS_COOKIE = SessionCookie.SECURE_NAME + "=" + SESSION;

    @Test
    void aReadTakesTheCookieWithOrWithoutOrigin() throws Exception {
        assertEquals(SESSION, dev("GET", "cookie", DEV_COOKIE));
        assertEquals(SESSION, dev("GET", "cookie", DEV_COOKIE, "origin", "https://evil.example"));
        assertEquals(SESSION, https("GET", "cookie", HTTPS_COOKIE));
        assertEquals("null", dev("GET"), "no cookie, no session");
        assertEquals("null", dev("GET", "cookie", SessionCookie.NAME + "="), "an emptied cookie is no session");
    }

    @Test
    void aWriteWithoutOriginIsRefused() throws Exception {
        assertEquals("null", dev("POST", "cookie", DEV_COOKIE));
        assertEquals("null", https("DELETE", "cookie", HTTPS_COOKIE));
    }

    @Test
    void aWriteWithOriginNullIsRefused() throws Exception {
        assertEquals("null", dev("POST", "cookie", DEV_COOKIE, "origin", "null"));
        assertEquals("null", https("POST", "cookie", HTTPS_COOKIE, "origin", "null"));
    }

    @Test
    void aWriteFromASiblingSubdomainIsRefused() throws Exception {
        assertEquals("null", https("POST", "cookie", HTTPS_COOKIE, "origin", "https://evil.autolab.example.org"));
        assertEquals("null", https("POST", "cookie", HTTPS_COOKIE, "origin", "https://example.org"));
        assertEquals("null", dev("POST", "cookie", DEV_COOKIE, "origin", "http://evil.localhost:" + devPort));
    }

    @Test
    void aWriteWithTheWrongSchemeOrPortIsRefused() throws Exception {
        assertEquals("null", https("POST", "cookie", HTTPS_COOKIE, "origin", "http://autolab.example.org"));
        assertEquals("null", https("POST", "cookie", HTTPS_COOKIE, "origin", HTTPS + ":8443"));
        // With an https public URL the Host header (the client's to choose) makes no origin trusted.
        assertEquals("null", https("POST", "cookie", HTTPS_COOKIE, "origin", "http://127.0.0.1:" + httpsPort));
        assertEquals("null", https("POST", "cookie", HTTPS_COOKIE, "origin", "https://127.0.0.1:" + httpsPort));
    }

    @Test
    void aWriteFromTheOwnOriginTakesTheCookie() throws Exception {
        assertEquals(SESSION, https("POST", "cookie", HTTPS_COOKIE, "origin", HTTPS));
        assertEquals(SESSION, dev("POST", "cookie", DEV_COOKIE, "origin", "http://localhost:8080"));
        // Loopback development: the origin the browser addressed.
        assertEquals(SESSION, dev("PATCH", "cookie", DEV_COOKIE, "origin", "http://127.0.0.1:" + devPort));
    }

    @Test
    void aCookieSentTwiceIsNoSession() throws Exception {
        String twice = HTTPS_COOKIE + "; " + SessionCookie.SECURE_NAME + "=als_tossed";
        assertEquals("null", https("POST", "cookie", twice, "origin", HTTPS));
        assertEquals("null", https("GET", "cookie", twice));
        assertEquals("null", dev("POST", "cookie", DEV_COOKIE + "; " + DEV_COOKIE, "origin", "http://localhost:8080"));
    }

    @Test
    void withSecureCookiesOnlyTheHostPrefixedNameCounts() throws Exception {
        // Any sibling subdomain can set the plain name; only this host can set a __Host- one.
        assertEquals("null", https("GET", "cookie", DEV_COOKIE));
        assertEquals("null", https("POST", "cookie", DEV_COOKIE, "origin", HTTPS));
        assertEquals(SESSION, https("POST", "cookie", DEV_COOKIE + "; " + HTTPS_COOKIE, "origin", HTTPS));
        assertEquals("null", dev("GET", "cookie", HTTPS_COOKIE), "plain http keeps the plain name");
    }
}
