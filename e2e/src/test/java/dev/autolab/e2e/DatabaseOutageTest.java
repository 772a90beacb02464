package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import dev.autolab.local.DevSuite;

/**
 * Issue 6 item 9 through the real suite: with the database stopped, a call that needs it is
 * UNAVAILABLE (503, code 14) naming the database and saying to retry, at once; readiness says
 * DOWN; the CLI says so in one line and exits 3. Once the database is back, the same call
 * succeeds without restarting anything.
 */
class DatabaseOutageTest {
    private static final Duration ANSWERS_WITHIN = Duration.ofMillis(1000);
    private static final Duration RECOVERS_WITHIN = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int readiness(DevSuite suite) throws Exception {
        int port = suite.services().stream()
                .filter(s -> s.name().equals("auth-service"))
                .findFirst()
                .orElseThrow()
                .port();
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static Rest.Reply createToken(String session, String name) throws Exception {
        return Rest.send(
                "POST",
                "/v1/tokens",
                Rest.JSON.createObjectNode().put("name", name).toString(),
                "authorization",
                Rest.bearer(session));
    }

    @Test
    void aStoppedDatabaseIsUnavailableNamedAndRetriableAndTheServiceRecoversByItself() throws Exception {
        DevSuite suite = Suite.get();
        String handle = Rest.signUp("outage");
        String session = Rest.session(handle);
        String pat = Rest.pat(handle, "cli");
        Cli cli = new Cli(Files.createTempDirectory(Suite.root().resolve("e2e/target"), "cli-"))
                .env("AUTOLAB_TOKEN", pat);
        assertEquals(200, readiness(suite));

        suite.postgres().stop();
        Rest.Reply during;
        long tookNanos;
        int readyDuring;
        Cli.Result cliDuring;
        try {
            long start = System.nanoTime();
            during = createToken(session, "during-outage");
            tookNanos = System.nanoTime() - start;
            readyDuring = readiness(suite);
            cliDuring = cli.run("token", "create", "--name", "during-outage-cli");
        } finally {
            suite.postgres().restart();
        }

        // Recovery first, so that it is checked even while the outage contract below is not yet met.
        long deadline = System.nanoTime() + RECOVERS_WITHIN.toNanos();
        Rest.Reply after = createToken(session, "after-outage-0");
        for (int i = 1; after.status() != 200 && System.nanoTime() < deadline; i++) {
            after = createToken(session, "after-outage-" + i);
        }
        assertEquals(200, after.status(), "auth-service recovers once PostgreSQL is back: " + after.json());
        int ready = readiness(suite);
        while (ready != 200 && System.nanoTime() < deadline) {
            ready = readiness(suite); // the JDBC pool drops its broken connection on the first check
        }
        assertEquals(200, ready, "ready again");
        Cli.Result cliAfter = cli.run("token", "create", "--name", "after-outage-cli");
        assertEquals(0, cliAfter.exit(), cliAfter.toString());

        String message = during.json().path("message").asText().toLowerCase(Locale.ROOT);
        String cliError = cliDuring.err().toLowerCase(Locale.ROOT);
        assertAll(
                "while PostgreSQL is stopped",
                () -> assertEquals(503, readyDuring, "readiness says DOWN"),
                () -> assertTrue(
                        tookNanos < ANSWERS_WITHIN.toNanos(),
                        "answered in " + tookNanos / 1_000_000 + " ms, not after a long wait"),
                () -> assertEquals(503, during.status(), "HTTP 503, not 500: " + during.json()),
                () -> assertEquals(14, during.json().path("code").asInt(), "UNAVAILABLE: " + during.json()),
                () -> assertTrue(message.contains("database"), "names what is down: " + message),
                () -> assertTrue(
                        message.contains("try again") || message.contains("retry"), "says to retry: " + message),
                () -> assertEquals(3, cliDuring.exit(), "the CLI exits 3 (retry later): " + cliDuring),
                () -> assertEquals(1, cliDuring.err().strip().lines().count(), "one line: " + cliDuring),
                () -> assertTrue(cliError.startsWith("error: ") && cliError.contains("database"), cliDuring.toString()),
                () -> assertEquals("", cliDuring.out(), "no token on stdout"));
    }
}
