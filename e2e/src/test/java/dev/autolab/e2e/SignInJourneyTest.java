package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A person's first session, through the real CLI against the real suite: sign up, browser login
 * approved through the session API, whoami, a named token used through AUTOLAB_TOKEN, revoked by
 * id prefix and refused within 5 s, logout (which revokes the login token), whoami refused.
 */
class SignInJourneyTest {
    private static final Pattern USER_CODE = Pattern.compile("code=([A-Z]{4}-[A-Z]{4})");

    @TempDir
    Path config;

    @Test
    void signUpLoginTokensRevokeLogout() throws Exception {
        Cli cli = new Cli(config);
        String handle = Rest.signUp("alice");

        // Browser login: the CLI prints the URL with the code and keeps polling; the "browser" approves.
        Cli.Running login = cli.runUntil(line -> USER_CODE.matcher(line).find(), "login", "--no-browser");
        String shown = login.seen().stream()
                .filter(l -> USER_CODE.matcher(l).find())
                .findFirst()
                .orElseThrow();
        Matcher code = USER_CODE.matcher(shown);
        assertTrue(code.find());
        assertEquals(200, Rest.approve(Rest.session(handle), code.group(1)).status());
        Cli.Result loggedIn = login.await();
        assertEquals(0, loggedIn.exit(), loggedIn.toString());
        assertEquals("", loggedIn.out(), "login prints nothing on stdout");
        assertTrue(loggedIn.err().contains("Logged in to " + Suite.url() + " as " + handle), loggedIn.toString());

        Cli.Result whoami = cli.run("whoami");
        assertEquals(0, whoami.exit(), whoami.toString());
        assertTrue(whoami.out().contains("user:        " + handle), whoami.out());
        assertTrue(whoami.out().contains("credential:  stored login"), whoami.out());
        assertTrue(whoami.out().matches("(?s).*token: +login@\\S+ \\(login\\), expires never.*"), whoami.out());
        String loginToken = Rest.JSON
                .readTree(cli.credentials().toFile())
                .path("hosts")
                .path(Suite.url())
                .path("token")
                .asText();

        // A named token: only the token on stdout, so $(...) captures it.
        Cli.Result created = cli.run("token", "create", "--name", "ci", "--expires", "30d");
        assertEquals(0, created.exit(), created.toString());
        String token = created.out().trim();
        assertTrue(token.matches("al_[0-9A-Za-z]{36}"), created.out());
        assertFalse(created.err().contains(token), "the token is not repeated on stderr");

        Cli.Result viaEnv = new Cli(config).env("AUTOLAB_TOKEN", token).run("whoami");
        assertEquals(0, viaEnv.exit(), viaEnv.toString());
        assertTrue(viaEnv.out().contains("credential:  AUTOLAB_TOKEN"), viaEnv.out());
        assertTrue(viaEnv.out().contains("token:       ci (pat)"), viaEnv.out());
        assertEquals(1, viaEnv.err().split("AUTOLAB_TOKEN is set", -1).length - 1, "one notice: " + viaEnv.err());

        JsonNode listed = Rest.JSON.readTree(cli.run("token", "ls", "--json").out());
        String id = null;
        for (JsonNode t : listed) {
            if (t.path("name").asText().equals("ci")) {
                id = t.path("id").asText();
            }
        }
        assertTrue(id != null, listed.toString());

        Cli.Result revoked = cli.run("token", "revoke", id.substring(0, 6));
        assertEquals(0, revoked.exit(), revoked.toString());
        long revokedAt = System.nanoTime();
        Cli.Result refused;
        do {
            refused = new Cli(config).env("AUTOLAB_TOKEN", token).run("whoami");
        } while (refused.exit() == 0 && System.nanoTime() - revokedAt < 5_000_000_000L);
        assertEquals(1, refused.exit(), "the revoked token still worked after 5 s: " + refused);
        assertTrue(refused.err().contains("revoked"), refused.toString());

        Cli.Result all = cli.run("token", "ls", "--all");
        assertTrue(all.out().lines().anyMatch(l -> l.contains(" ci ") && l.contains("revoked")), all.out());

        Cli.Result logout = cli.run("logout");
        assertEquals(0, logout.exit(), logout.toString());
        Rest.Reply afterLogout = Rest.send("GET", "/v1/whoami", null, "authorization", Rest.bearer(loginToken));
        assertEquals(401, afterLogout.status(), "logout revokes the login token server-side: " + afterLogout.json());

        Cli.Result gone = cli.run("whoami");
        assertEquals(2, gone.exit(), gone.toString());
        assertTrue(gone.err().contains("not logged in"), gone.toString());
    }
}
