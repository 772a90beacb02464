package dev.autolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.cli.json.Json;

/**
 * The everyday commands in process, against the stub gateway and a fake terminal: what goes to
 * stdout and to stderr, the exit code for each way of ending (one mapping, {@link ExitCodes}), where
 * credentials go ({@code $XDG_CONFIG_HOME}, else {@code $HOME} as the environment has it) and with
 * which modes, which host and token win, and the relative times of the tables.
 */
class CommandsTest {
    private static final String WHOAMI = "{\"user\":{\"handle\":\"alice\",\"displayName\":\"Alice\"},"
            + "\"token\":{\"id\":\"0123456789abcdef\",\"name\":\"login@box\",\"kind\":\"TOKEN_KIND_LOGIN\"}}";

    private StubServer server;
    private Path home;
    private FakeTerminal terminal;

    @BeforeEach
    void start() throws IOException {
        server = new StubServer();
        home = Files.createTempDirectory("autolab-commands");
        terminal = new FakeTerminal().env("HOME", home.toString()).env("AUTOLAB_HOST", server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path credentials() {
        return home.resolve(".config/autolab/credentials.json");
    }

    private FakeTerminal.Run login(String token) {
        server.answer("GET /v1/whoami", 200, WHOAMI);
        return terminal.run("login", "--token", token);
    }

    @Test
    void loginWritesUnderHomeFromTheEnvironmentOwnerOnly() throws IOException {
        FakeTerminal.Run run = login("al_stored");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("", run.out(), "messages go to stderr");
        assertTrue(run.err().contains("Logged in to " + server.url() + " as alice"), run.err());
        assertTrue(Files.exists(credentials()), "under $HOME/.config, not user.home");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials())));
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(credentials().getParent())));
        Json stored = Json.parse(Files.readString(credentials()));
        assertEquals(server.url(), stored.path("activeHost").asText());
        assertEquals(
                "al_stored",
                stored.path("hosts").path(server.url()).path("token").asText());
        assertEquals(List.of("Bearer al_stored"), server.authorizations);
    }

    @Test
    void xdgConfigHomeWinsOverHome() throws IOException {
        Path xdg = Files.createTempDirectory("autolab-xdg");
        terminal.env("XDG_CONFIG_HOME", xdg.toString());
        assertEquals(0, login("al_stored").exit());
        assertTrue(Files.exists(xdg.resolve("autolab/credentials.json")));
        assertFalse(Files.exists(credentials()));
    }

    @Test
    void whoamiPrintsToStdoutWithTheStoredLogin() {
        login("al_stored");
        FakeTerminal.Run run = terminal.run("whoami");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("user:        alice (Alice)"), run.out());
        assertTrue(run.out().contains("credential:  stored login (" + credentials() + ")"), run.out());
        assertEquals("", run.err());
        assertEquals("Bearer al_stored", server.authorizations.get(1));
    }

    @Test
    void theEnvironmentTokenWinsAndSaysOnceThatItShadowsTheLogin() {
        login("al_stored");
        terminal.env("AUTOLAB_TOKEN", "al_env");
        FakeTerminal.Run run = terminal.run("whoami");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("Bearer al_env", server.authorizations.get(1));
        assertTrue(run.out().contains("credential:  AUTOLAB_TOKEN (environment)"), run.out());
        assertEquals(
                "note: AUTOLAB_TOKEN is set; using it instead of the login stored for " + server.url() + "\n",
                run.err());
    }

    @Test
    void noNoticeWhenThereIsNoLoginToShadow() {
        server.answer("GET /v1/whoami", 200, WHOAMI);
        FakeTerminal.Run run = terminal.env("AUTOLAB_TOKEN", "al_env").run("whoami");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("", run.err());
    }

    @Test
    void hostOptionWinsOverTheEnvironment() {
        server.answer("GET /v1/whoami", 200, WHOAMI);
        FakeTerminal.Run run = terminal.env("AUTOLAB_HOST", "http://127.0.0.1:1")
                .env("AUTOLAB_TOKEN", "al_env")
                .run("whoami", "--host", server.url());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().startsWith("host:        " + server.url() + "\n"), run.out());
    }

    @Test
    void notLoggedInIsAUsageErrorThatSaysToLogIn() {
        FakeTerminal.Run run = terminal.run("whoami");
        assertEquals(ExitCodes.USAGE, run.exit(), run.toString());
        assertEquals("", run.out());
        assertEquals(
                "error: not logged in to " + server.url() + ": run `autolab login --host " + server.url()
                        + "` or set AUTOLAB_TOKEN\n",
                run.err());
        assertEquals(List.of(), server.requests, "nothing sent");
    }

    @Test
    void aRefusalIsExitOneWithTheServersMessage() {
        server.answer("GET /v1/whoami", 401, "{\"code\":16,\"message\":\"the token was revoked\"}");
        FakeTerminal.Run run = terminal.env("AUTOLAB_TOKEN", "al_env").run("whoami");
        assertEquals(ExitCodes.REFUSED, run.exit(), run.toString());
        assertEquals("error: the token was revoked\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void anUnreachableHostIsExitThree() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        FakeTerminal.Run run =
                terminal.env("AUTOLAB_TOKEN", "al_env").run("whoami", "--host", "http://127.0.0.1:" + port);
        assertEquals(ExitCodes.UNREACHABLE, run.exit(), run.toString());
        assertTrue(run.err().startsWith("error: cannot reach http://127.0.0.1:" + port + " (connection refused)"));
    }

    @Test
    void anUnavailableServiceIsExitThree() {
        server.answer(
                "GET /v1/whoami", 503, "{\"code\":14,\"message\":\"auth-service is unavailable; try again shortly\"}");
        FakeTerminal.Run run = terminal.env("AUTOLAB_TOKEN", "al_env").run("whoami");
        assertEquals(ExitCodes.UNREACHABLE, run.exit(), run.toString());
        assertEquals("error: auth-service is unavailable; try again shortly\n", run.err());
    }

    @Test
    void aCredentialsFileOthersCanReadIsRefusedAndNotUsed() throws IOException {
        login("al_stored");
        Files.setPosixFilePermissions(credentials(), PosixFilePermissions.fromString("rw-r--r--"));
        FakeTerminal.Run run = terminal.run("whoami");
        assertEquals(ExitCodes.LOCAL, run.exit(), run.toString());
        assertTrue(
                run.err().startsWith("error: " + credentials() + " holds your tokens but others may read"), run.err());
        assertTrue(run.err().contains("rw-r--r--") && run.err().contains("chmod 600"), run.err());
        assertFalse(run.err().contains("al_stored"), "never the token");
        assertEquals(1, server.requests.size(), "only the login's whoami: the file's token was not sent");

        Files.setPosixFilePermissions(credentials(), PosixFilePermissions.fromString("rw--w----"));
        assertEquals(ExitCodes.LOCAL, terminal.run("whoami").exit(), "group-writable is refused too");
    }

    @Test
    void anUnreadableCredentialsFileIsALocalProblem() throws IOException {
        Files.createDirectories(credentials().getParent());
        Files.writeString(credentials(), "{not json");
        Files.setPosixFilePermissions(credentials(), PosixFilePermissions.fromString("rw-------"));
        FakeTerminal.Run run = terminal.run("whoami");
        assertEquals(ExitCodes.LOCAL, run.exit(), run.toString());
        assertTrue(run.err().startsWith("error: cannot read " + credentials()), run.err());
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        assertEquals(ExitCodes.USAGE, terminal.run("whoamii").exit());
        assertEquals(ExitCodes.USAGE, terminal.run("token", "ls", "--bogus").exit());
        FakeTerminal.Run run = terminal.run("token", "create", "--name", "x", "--expires", "soon");
        assertEquals(ExitCodes.USAGE, run.exit(), run.toString());
        assertTrue(run.err().contains("--expires takes a number of days"), run.err());
    }

    @Test
    void tokenCreatePrintsOnlyTheTokenOnStdout() {
        server.answer(
                "POST /v1/tokens",
                200,
                "{\"secret\":\"al_new\",\"token\":{\"id\":\"fedcba9876543210\",\"name\":\"ci\"}}");
        FakeTerminal.Run run = terminal.env("AUTOLAB_TOKEN", "al_env").run("token", "create", "--name", "ci");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("al_new\n", run.out());
        assertTrue(run.err().startsWith("Created token ci (id fedcba98"), run.err());
        Json sent = Json.parseOrEmpty(server.bodies.get(0));
        assertEquals("ci", sent.path("name").asText());
        assertEquals(0, sent.path("expiresInDays").asLong(-1));
    }

    private static final String TOKENS = "{\"tokens\":[{\"id\":\"0123456789abcdef\",\"name\":\"ci\","
            + "\"kind\":\"TOKEN_KIND_PAT\",\"createdAt\":\"2026-11-26T12:00:00Z\",\"lastUsedAt\":\"2026-11-29T11:57:00Z\","
            + "\"spent\":\"12345678901234567\"},{\"id\":\"fedcba9876543210\",\"name\":\"login@box\","
            + "\"kind\":\"TOKEN_KIND_LOGIN\",\"createdAt\":\"2026-11-29T11:00:00Z\"}]}";

    @Test
    void tokenLsShowsRelativeTimesInAnAlignedTable() {
        server.answer("GET /v1/tokens", 200, TOKENS);
        FakeTerminal.Run run = terminal.env("AUTOLAB_TOKEN", "al_env").run("token", "ls");
        assertEquals(0, run.exit(), run.toString());
        assertEquals(
                "ID        NAME       KIND   CREATED     LAST USED      EXPIRES\n"
                        + "01234567  ci         pat    3 days ago  3 minutes ago  never\n"
                        + "fedcba98  login@box  login  1 hour ago  never          never\n",
                run.out());
    }

    @Test
    void tokenLsJsonIsTheServersListExactly() throws IOException {
        server.answer("GET /v1/tokens", 200, TOKENS);
        FakeTerminal.Run run = terminal.env("AUTOLAB_TOKEN", "al_env").run("token", "ls", "--json");
        assertEquals(0, run.exit(), run.toString());
        Json printed = Json.parse(run.out());
        assertTrue(printed.isArray());
        assertEquals(Json.parse(TOKENS).path("tokens"), printed, "times and big numbers as sent");
        assertTrue(run.out().contains("\"createdAt\" : \"2026-11-26T12:00:00Z\""), run.out());
        assertTrue(run.out().contains("\"12345678901234567\""), run.out());
    }

    @Test
    void projectLsShowsRelativeTimesAndJson() throws IOException {
        String projects = "{\"projects\":[{\"name\":\"alice/nanochat\",\"role\":\"ROLE_OWNER\","
                + "\"createdAt\":\"2025-10-01T00:00:00Z\"}]}";
        server.answer("GET /v1/projects", 200, projects);
        terminal.env("AUTOLAB_TOKEN", "al_env").env("AUTOLAB_PROJECT", "alice/nanochat");
        FakeTerminal.Run run = terminal.run("project", "ls");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("   PROJECT         ROLE   CREATED\n*  alice/nanochat  owner  1 year ago\n", run.out());
        FakeTerminal.Run json = terminal.run("project", "ls", "--json");
        assertEquals(Json.parse(projects).path("projects"), Json.parse(json.out()));
    }

    @Test
    void anEmptyListSaysSoOnStderr() {
        server.answer("GET /v1/tokens", 200, "{}");
        FakeTerminal.Run run = terminal.env("AUTOLAB_TOKEN", "al_env").run("token", "ls");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("No tokens."), run.err());
        assertEquals("[]\n", terminal.run("token", "ls", "--json").out());
    }

    @Test
    void plainHttpToAnotherMachineWarnsOnceOnStderr() {
        FakeTerminal.Run run =
                terminal.env("AUTOLAB_TOKEN", "al_env").run("whoami", "--host", "http://autolab.invalid");
        assertTrue(
                run.err()
                        .startsWith(
                                "warning: http://autolab.invalid is plain http: your token travels " + "unencrypted"),
                run.err());
        assertEquals(1, run.err().split("warning:").length - 1, "once: " + run.err());
        assertEquals(ExitCodes.UNREACHABLE, run.exit(), run.toString());
    }

    @Test
    void aHostWithoutSchemeIsHttps() {
        FakeTerminal.Run run = terminal.env("AUTOLAB_TOKEN", "al_env").run("whoami", "--host", "autolab.invalid");
        assertEquals(ExitCodes.UNREACHABLE, run.exit(), run.toString());
        assertTrue(run.err().startsWith("error: cannot reach https://autolab.invalid ("), run.err());
        assertFalse(run.err().contains("warning"), run.err());
    }

    @Test
    void logoutForgetsTheHost() throws IOException {
        login("al_stored");
        FakeTerminal.Run run = terminal.run("logout");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("Logged out of " + server.url() + ".\n", run.err());
        assertTrue(Json.parse(Files.readString(credentials())).path("hosts").isEmpty());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials())));
    }

    @Test
    void versionAndHelpNameTheEnvironment() {
        FakeTerminal.Run version = terminal.run("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("autolab "), version.out());
        FakeTerminal.Run help = terminal.run("--help");
        assertEquals(0, help.exit());
        for (String variable : List.of(
                "AUTOLAB_HOST", "AUTOLAB_TOKEN", "AUTOLAB_PROJECT", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "HOME")) {
            assertTrue(help.out().contains(variable), variable + " in --help");
        }
        assertTrue(help.out().contains("Exit codes"), help.out());
    }
}
