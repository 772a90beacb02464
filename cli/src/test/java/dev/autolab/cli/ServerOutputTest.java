package dev.autolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.autolab.cli.command.Terminal;

/**
 * What the CLI prints of what a server says: never a raw control character (a hostile or broken
 * server must not drive the terminal), and an outage is one line and exit code 3.
 */
class ServerOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private StubServer server;
    private Path config;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        server = new StubServer();
        config = Files.createTempDirectory("autolab-cli-test");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run autolab(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal term = new Terminal(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(
                        "AUTOLAB_HOST",
                        server.url(),
                        "AUTOLAB_TOKEN",
                        "al_test",
                        "XDG_CONFIG_HOME",
                        config.toString(),
                        "HOME",
                        config.toString()));
        int exit = Autolab.run(term, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** No C0 but newline, no DEL, no C1, no ESC anywhere. */
    private static void assertNoRawControls(String printed) {
        for (int i = 0; i < printed.length(); i++) {
            char c = printed.charAt(i);
            boolean control = (c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x202e;
            assertFalse(control, "raw control character U+" + Integer.toHexString(c) + " at " + i + " in: " + printed);
        }
    }

    @Test
    void anErrorMessageCannotClearTheScreenOrForgeALine() {
        server.answer(
                "GET /v1/whoami",
                403,
                "{\"code\":7,\"message\":\"no\\u001b[2J\\nerror: Logged in as root\\u009b31m\"}");
        Run r = autolab("whoami");
        assertEquals(1, r.exit(), r.toString());
        assertNoRawControls(r.err());
        assertEquals("error: no\\x1b[2J\\x0aerror: Logged in as root\\x9b31m\n", r.err(), "one visible line");
    }

    @Test
    void tokenNamesInATableAreEscaped() {
        server.answer(
                "GET /v1/tokens",
                200,
                "{\"tokens\":[{\"id\":\"0123456789abcdef\",\"name\":\"ci\\rADMIN\","
                        + "\"kind\":\"TOKEN_KIND_PAT\",\"createdAt\":\"2026-01-01T00:00:00Z\"},{\"id\":\"fedcba9876543210\","
                        + "\"name\":\"\\u001b]0;pwned\\u0007\\u202eexe.txt\",\"kind\":\"TOKEN_KIND_PAT\\u001b[31m\"}]}");
        Run r = autolab("token", "ls");
        assertEquals(0, r.exit(), r.toString());
        assertNoRawControls(r.out());
        assertTrue(r.out().contains("ci\\x0dADMIN"), r.out());
        assertTrue(r.out().contains("\\x1b]0;pwned\\x07\\u202eexe.txt"), r.out());
        assertEquals(3, r.out().split("\n").length, "a header and one line per token: " + r.out());
    }

    @Test
    void aTimestampThatIsNotOneIsNotEchoedInAStackTrace() {
        server.answer(
                "GET /v1/tokens",
                200,
                "{\"tokens\":[{\"id\":\"0123456789abcdef\",\"name\":\"a\","
                        + "\"createdAt\":\"\\u001b[2J\",\"expiresAt\":\"soon\\r\"}]}");
        Run r = autolab("token", "ls", "--all");
        assertEquals(0, r.exit(), r.toString());
        assertNoRawControls(r.out() + r.err());
        assertTrue(r.out().contains("?"), r.out());
    }

    @Test
    void jsonOutputIsEscapedButMeansTheSame() throws Exception {
        String name = "a\u001b[2J\u007f\u009b\u202eb";
        server.answer(
                "GET /v1/tokens",
                200,
                JSON.createObjectNode()
                        .set(
                                "tokens",
                                JSON.createArrayNode()
                                        .add(JSON.createObjectNode()
                                                .put("id", "0123456789abcdef")
                                                .put("name", name)))
                        .toString());
        Run r = autolab("token", "ls", "--json");
        assertEquals(0, r.exit(), r.toString());
        assertNoRawControls(r.out());
        JsonNode parsed = JSON.readTree(r.out());
        assertEquals(name, parsed.path(0).path("name").asText(), "a program reading it sees the same name");
    }

    @Test
    void namesInMessagesAreEscaped() {
        server.answer("DELETE /v1/tokens/gpu", 200, "{\"id\":\"0123456789abcdef\",\"name\":\"gpu\\r\\u001b[1A\"}");
        Run r = autolab("token", "revoke", "gpu");
        assertEquals(0, r.exit(), r.toString());
        assertNoRawControls(r.err());
        assertTrue(r.err().contains("Revoked token gpu\\x0d\\x1b[1A (01234567)."), r.err());
    }

    @Test
    void unavailableIsOneLineAndExitCode3() {
        server.answer(
                "POST /v1/tokens", 503, "{\"code\":14,\"message\":\"the database is unavailable; try again shortly\"}");
        Run r = autolab("token", "create", "--name", "x");
        assertEquals(3, r.exit(), r.toString());
        assertEquals("error: the database is unavailable; try again shortly\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void aGatewayThatCannotReachTheServiceIsExitCode3() {
        server.answer("GET /v1/tokens", 502, "");
        Run bad = autolab("token", "ls");
        assertEquals(3, bad.exit(), bad.toString());
        assertEquals(1, bad.err().split("\n").length, bad.err());
        assertTrue(
                bad.err().startsWith("error: " + server.url() + " answered HTTP 502")
                        && bad.err().contains("try again"),
                bad.err());

        server.answer(
                "GET /v1/tokens", 504, "{\"code\":4,\"message\":\"auth-service did not answer in time; try again\"}");
        Run slow = autolab("token", "ls");
        assertEquals(3, slow.exit(), slow.toString());
        assertEquals("error: auth-service did not answer in time; try again\n", slow.err());
    }

    @Test
    void anInternalErrorIsStillARefusalNotAnOutage() {
        server.answer("GET /v1/tokens", 500, "{\"code\":13,\"message\":\"internal error (incident 1234)\"}");
        Run r = autolab("token", "ls");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("error: internal error (incident 1234)\n", r.err());
    }

    @Test
    void aCredentialsFileThatCannotBeWrittenIsALocalProblemExitCode4() throws Exception {
        server.answer(
                "GET /v1/whoami",
                200,
                "{\"user\":{\"handle\":\"alice\"},\"token\":{\"id\":\"0123456789abcdef\"," + "\"name\":\"laptop\"}}");
        Path notAFolder = Files.createTempFile("autolab-config", ".file");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Autolab.run(
                new Terminal(
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err),
                        Map.of("AUTOLAB_HOST", server.url(), "XDG_CONFIG_HOME", notAFolder.toString())),
                "login",
                "--token",
                "al_x");
        assertEquals(4, exit, err.toString());
        assertTrue(err.toString().startsWith("error: cannot write "), err.toString());
    }

    @Test
    void aHostNobodyListensOnIsExitCode3() throws Exception {
        String url = server.url();
        server.close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Autolab.run(
                new Terminal(
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err),
                        Map.of("AUTOLAB_HOST", url, "AUTOLAB_TOKEN", "al_test", "XDG_CONFIG_HOME", config.toString())),
                "whoami");
        assertEquals(3, exit, err.toString());
        server = new StubServer();
    }
}
