package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** The credentials file and the CLI's contract with scripts: hosts, modes, precedence, exit codes. */
class CredentialsTest {
    @TempDir
    Path config;

    @Test
    void loginsToTwoHostsCoexistInOneOwnerOnlyFile() throws Exception {
        String alice = Rest.signUp("alice");
        String bob = Rest.signUp("bob");
        String viaLocalhost = Suite.url();
        String viaLoopback = viaLocalhost.replace("localhost", "127.0.0.1");
        Cli cli = new Cli(config);
        assertEquals(
                0,
                cli.run("login", "--host", viaLocalhost, "--token", Rest.pat(alice, "laptop"))
                        .exit());
        assertEquals(
                0,
                cli.run("login", "--host", viaLoopback, "--token", Rest.pat(bob, "laptop"))
                        .exit());

        JsonNode file = Rest.JSON.readTree(cli.credentials().toFile());
        assertEquals(2, file.path("hosts").size(), file.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.credentials())));
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(cli.credentials().getParent())));
        try (var leftovers = Files.list(cli.credentials().getParent())) {
            assertEquals(1, leftovers.count(), "no temporary files left behind");
        }

        assertTrue(cli.run("whoami", "--host", viaLocalhost).out().contains("user:        " + alice));
        assertTrue(cli.run("--host", viaLoopback, "whoami").out().contains("user:        " + bob));
        // --host wins over AUTOLAB_HOST.
        assertTrue(cli.env("AUTOLAB_HOST", viaLoopback)
                .run("whoami", "--host", viaLocalhost)
                .out()
                .contains("user:        " + alice));

        assertEquals(0, cli.run("logout", "--host", viaLoopback).exit());
        JsonNode after = Rest.JSON.readTree(cli.credentials().toFile());
        assertEquals(1, after.path("hosts").size());
        assertTrue(after.path("hosts").has(viaLocalhost));
        assertTrue(cli.run("whoami", "--host", viaLocalhost).out().contains("user:        " + alice));
    }

    @Test
    void exitCodesTellScriptsWhatWentWrong() throws Exception {
        Cli cli = new Cli(config);
        Cli.Result refused = cli.run("login", "--token", "al_not-a-real-token");
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("the token was refused"), refused.toString());
        assertEquals(2, cli.run("token", "create").exit(), "missing --name is a usage error");
        assertEquals(2, cli.run("frobnicate").exit());
        assertEquals(
                2,
                cli.run("token", "create", "--name", "x", "--expires", "soon").exit());
        Cli.Result unreachable = cli.env("AUTOLAB_TOKEN", "al_whatever").run("whoami", "--host", "http://localhost:9");
        assertEquals(3, unreachable.exit(), unreachable.toString());
        assertTrue(unreachable.err().contains("cannot reach"), unreachable.toString());
        assertTrue(Files.notExists(cli.credentials()), "a refused login stores nothing");
    }

    @Test
    void badInputGetsAClearErrorAndANonZeroExit() throws Exception {
        String carol = Rest.signUp("carol");
        Cli cli = new Cli(config);
        assertEquals(0, cli.run("login", "--token", Rest.pat(carol, "laptop")).exit());
        Cli.Result badName = cli.run("token", "create", "--name", "has space");
        assertEquals(1, badName.exit());
        assertTrue(badName.err().contains("not a valid token name"), badName.toString());
        Cli.Result duplicate = cli.run("token", "create", "--name", "laptop");
        assertEquals(1, duplicate.exit());
        assertTrue(duplicate.err().contains("already have a token named \"laptop\""), duplicate.toString());
        Cli.Result unknown = cli.run("token", "revoke", "nope-nope");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("no live token"), unknown.toString());
        Cli.Result noProject = cli.run("project", "members");
        assertEquals(2, noProject.exit());
        assertTrue(noProject.err().contains("autolab project use"), noProject.toString());
    }

    @Test
    void projectsAndMembersFromTheCli() throws Exception {
        String owner = Rest.signUp("olga");
        String teammate = Rest.signUp("tom");
        Cli cli = new Cli(config);
        assertEquals(0, cli.run("login", "--token", Rest.pat(owner, "laptop")).exit());
        Cli.Result created = cli.run("project", "create", "nanochat");
        assertEquals(owner + "/nanochat", created.out().trim(), created.toString());
        assertEquals(0, cli.run("project", "use", owner + "/nanochat").exit());
        assertEquals(
                0,
                cli.run("project", "members", "add", teammate, "--role", "researcher")
                        .exit());
        JsonNode members =
                Rest.JSON.readTree(cli.run("project", "members", "--json").out());
        assertEquals(2, members.size(), members.toString());
        assertTrue(cli.run("whoami").out().contains("project:     " + owner + "/nanochat (owner)"));
        Cli.Result viewerTries = new Cli(config)
                .env("AUTOLAB_TOKEN", Rest.pat(teammate, "laptop"))
                .run("project", "members", "add", owner, "--role", "viewer", "--project", owner + "/nanochat");
        assertEquals(1, viewerTries.exit(), viewerTries.toString());
        assertTrue(viewerTries.err().contains("admin role"), viewerTries.toString());
        assertEquals(0, cli.run("project", "members", "rm", teammate).exit());
        assertEquals(
                1,
                Rest.JSON
                        .readTree(cli.run("project", "members", "--json").out())
                        .size());
    }
}
