package dev.autolab.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.autolab.cli.Autolab;
import dev.autolab.cli.serve.LocalMachine;
import dev.autolab.cli.serve.Pacing;

/**
 * {@code autolab login} speaks the standard device grant (RFC 8628): a form POST to the device
 * authorization endpoint as client {@code autolab-cli}, then token polls with the device_code grant type,
 * reading RFC 6749 errors. The server here is a stand-in that answers in turn and records what it got.
 */
class LoginTest {
    record Request(String method, String path, String contentType, String body) {}

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<String[]> tokenAnswers = new ArrayDeque<>();
    private Path config;

    @BeforeEach
    void start() throws IOException {
        config = Files.createTempDirectory("autolab-login-test");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    path,
                    exchange.getRequestHeaders().getFirst("content-type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            String[] answer = switch (path) {
                case "/oauth/device_authorization" ->
                    new String[] {
                        "200",
                        "{\"device_code\":\"dc\",\"user_code\":\"ABCD-EFGH\",\"verification_uri\":\"" + url()
                                + "/device\",\"verification_uri_complete\":\"" + url()
                                + "/device?code=ABCD-EFGH\",\"expires_in\":600,\"interval\":1}"
                    };
                case "/oauth/token" -> tokenAnswers.poll();
                case "/v1/whoami" ->
                    new String[] {
                        "200",
                        "{\"user\":{\"handle\":\"alice\"},\"token\":{\"id\":\"t1\",\"name\":\"login@box\","
                                + "\"kind\":\"TOKEN_KIND_LOGIN\"}}"
                    };
                default -> new String[] {"404", "{\"code\":5,\"message\":\"no such route\"}"};
            };
            byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private record Run(int exit, String err) {}

    private Run login() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal term = new Terminal(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("AUTOLAB_HOST", url(), "XDG_CONFIG_HOME", config.toString(), "HOME", config.toString()));
        // Pacing that waits for no real time: each poll interval passes at once.
        Pacing quick = new Pacing() {
            @Override
            public <T> T next(BlockingQueue<T> events, Duration timeout) {
                return events.poll();
            }
        };
        LocalMachine local =
                new LocalMachine(Clock.systemUTC(), config, false, false, quick, onStop -> () -> {}, new Random(1));
        int exit = Autolab.run(term, local, "login", "--no-browser");
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void loginUsesTheStandardEndpointsAsAutolabCli() {
        tokenAnswers.add(new String[] {
            "400", "{\"error\":\"authorization_pending\",\"error_description\":\"waiting for approval\"}"
        });
        tokenAnswers.add(new String[] {"200", "{\"access_token\":\"al_x\",\"token_type\":\"Bearer\"}"});
        Run run = login();
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("Logged in to " + url() + " as alice (token login@box)."), run.err());
        assertTrue(
                run.err().contains("| Open  " + url() + "/device?code=ABCD-EFGH |"), "the URL in a box: " + run.err());
        assertTrue(run.err().contains("| Code  ABCD-EFGH "), run.err());
        assertTrue(!run.err().contains("\r"), "no spinner when stderr is not a terminal: " + run.err());

        Request asked = requests.get(0);
        assertEquals("POST /oauth/device_authorization", asked.method() + " " + asked.path());
        assertEquals("application/x-www-form-urlencoded", asked.contentType());
        Map<String, String> code = form(asked.body());
        assertEquals("autolab-cli", code.get("client_id"));
        assertEquals(LoginCommand.clientName(), code.get("device_name"));

        List<Request> polls =
                requests.stream().filter(r -> r.path().equals("/oauth/token")).toList();
        assertEquals(2, polls.size(), requests.toString());
        for (Request poll : polls) {
            assertEquals("application/x-www-form-urlencoded", poll.contentType());
            assertEquals(
                    Map.of(
                            "grant_type",
                            "urn:ietf:params:oauth:grant-type:device_code",
                            "device_code",
                            "dc",
                            "client_id",
                            "autolab-cli"),
                    form(poll.body()));
        }
    }

    @Test
    void aDenialEndsTheLoginWithTheReason() {
        tokenAnswers.add(new String[] {
            "400", "{\"error\":\"access_denied\",\"error_description\":\"the sign-in was denied in the browser\"}"
        });
        Run run = login();
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("error: the sign-in was denied in the browser"), run.err());
    }

    @Test
    void anUnknownClientIsReportedWithTheServersDescription() {
        tokenAnswers.add(new String[] {
            "400", "{\"error\":\"invalid_client\",\"error_description\":\"no client 'autolab-cli' is registered\"}"
        });
        Run run = login();
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("error: no client 'autolab-cli' is registered"), run.err());
    }
}
