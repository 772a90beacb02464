package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** `autolab keys …` as the product page writes it, through the real CLI, gateway, keys-service and auth-service. */
class KeysTest {
    static final String ANTHROPIC = "sk-ant-e2e-0123456789abcdefA1B2";
    static final String OPENAI = "sk-openai-e2e-0123456789abcdefC3D4";

    @TempDir
    Path aliceHome;

    @TempDir
    Path bobHome;

    /** A signed-in CLI for a new user, with a current project. */
    record User(String handle, Cli cli, String project) {}

    static User user(Path home, String base) throws Exception {
        String handle = Rest.signUp(base);
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("login", "--token", Rest.pat(handle, "laptop")).exit());
        Cli.Result created = cli.run("project", "create", "nanochat");
        assertEquals(0, created.exit(), created.toString());
        String project = handle + "/nanochat";
        assertEquals(0, cli.run("project", "use", project).exit());
        return new User(handle, cli, project);
    }

    static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.exit(), r.toString());
        return r;
    }

    static void refused(Cli.Result r, int exit, String message) {
        assertEquals(exit, r.exit(), r.toString());
        assertTrue(r.err().contains(message), r.toString());
    }

    JsonNode binding(User u) throws Exception {
        String token = Rest.JSON
                .readTree(u.cli().credentials().toFile())
                .path("hosts")
                .elements()
                .next()
                .path("token")
                .asText();
        return Rest.send("GET", "/v1/projects/" + u.project() + "/llm", null, "authorization", Rest.bearer(token))
                .json();
    }

    @Test
    void theProductPagesKeyCommandsWork() throws Exception {
        User alice = user(aliceHome, "alice");
        Cli cli = alice.cli();
        assertTrue(ok(cli.run("keys")).err().contains("platform key"));
        assertTrue(binding(alice).path("platform").asBoolean(), "every project starts on the platform key");

        Cli.Result added = ok(cli.runWithStdin(ANTHROPIC + "\n", "keys", "add", "--provider", "anthropic"));
        assertTrue(added.err().contains("Stored key anthropic (anthropic, ...A1B2"), added.toString());
        ok(cli.runWithStdin(OPENAI, "keys", "add", "--provider", "openai", "--name", "personal", "--limit", "25"));

        Cli.Result list = ok(cli.run("keys"));
        assertTrue(list.out().contains("NAME"), list.toString());
        assertTrue(
                list.out().contains("personal")
                        && list.out().contains("...C3D4")
                        && list.out().contains("$25.00"),
                list.toString());
        assertFalse(list.out().contains(OPENAI) || list.out().contains(ANTHROPIC), "no value is ever shown");
        JsonNode json = Rest.JSON.readTree(ok(cli.run("keys", "--json")).out());
        assertEquals(2, json.size());
        assertEquals("25000000", json.get(1).path("limitMicroUsd").asText());

        Cli.Result used = ok(cli.run("keys", "use", "personal", "--model", "openai/gpt-5.5"));
        assertTrue(used.err().contains(alice.project() + " now uses your key personal"), used.toString());
        assertEquals("openai/gpt-5.5", binding(alice).path("model").asText());
        assertTrue(ok(cli.run("keys")).out().contains(alice.project()), "the list shows the projects using a key");
        String prefix = json.get(0).path("id").asText().substring(0, 8);
        ok(cli.run("keys", "use", prefix));
        assertEquals("anthropic", binding(alice).path("key").path("name").asText(), "by id prefix");
        Cli.Result platform = ok(cli.run("keys", "use", "platform"));
        assertTrue(platform.err().contains("now uses the AutoLab platform key"), platform.toString());
        assertTrue(binding(alice).path("platform").asBoolean());

        assertTrue(ok(cli.run("keys", "limit", "anthropic", "10")).err().contains("limit $10.00"));
        assertTrue(ok(cli.run("keys", "limit", "anthropic", "none")).err().contains("limit none"));
        Cli.Result rotated = ok(cli.runWithStdin("sk-ant-rotated-0000000000000000E5F6", "keys", "rotate", "anthropic"));
        assertTrue(rotated.err().contains("...E5F6"), rotated.toString());

        ok(cli.run("keys", "use", "personal"));
        refused(cli.run("keys", "rm", "personal"), 1, "--force");
        Cli.Result removed = ok(cli.run("keys", "rm", "personal", "--force"));
        assertTrue(removed.err().contains("back on the platform key"), removed.toString());
        assertTrue(binding(alice).path("platform").asBoolean());
        ok(cli.run("keys", "rm", prefix));
        assertTrue(ok(cli.run("keys")).err().contains("No keys stored"));
    }

    @Test
    void badInputGetsAClearErrorAndANonZeroExit() throws Exception {
        User alice = user(aliceHome, "alice");
        User bob = user(bobHome, "bob");
        Cli cli = alice.cli();
        refused(
                cli.runWithStdin(OPENAI, "keys", "add", "--provider", "openia"),
                1,
                "anthropic, openai, google, openrouter, xai, deepseek, minimax, moonshot, glm, qwen");
        refused(cli.runWithStdin("", "keys", "add", "--provider", "openai"), 1, "the key value is empty");
        refused(
                cli.runWithStdin(OPENAI, "keys", "add", "--provider", "openai", "--limit", "lots"),
                2,
                "--limit takes an amount in US dollars");
        refused(cli.runWithStdin(OPENAI, "keys", "add", "--provider", "openai", "--limit", "0"), 2, "more than $0");
        refused(cli.run("keys", "add"), 2, "--provider");
        ok(cli.runWithStdin(ANTHROPIC, "keys", "add", "--provider", "anthropic", "--name", "claude"));
        refused(
                cli.runWithStdin(OPENAI, "keys", "add", "--provider", "openai", "--name", "claude"),
                1,
                "already have a key named \"claude\"");
        refused(
                cli.run("keys", "use", "claude", "--model", "openai/gpt-5.5"),
                1,
                "is from openai, but key \"claude\" is for anthropic");
        refused(cli.run("keys", "limit", "claude", "-3"), 2, "");

        // Bob's key is not Alice's to use, see or remove: not found, never "forbidden".
        ok(bob.cli().runWithStdin(OPENAI, "keys", "add", "--provider", "openai", "--name", "bobs"));
        refused(cli.run("keys", "use", "bobs"), 1, "you have no key named or with an id starting with \"bobs\"");
        refused(cli.run("keys", "rm", "bobs"), 1, "you have no key named");

        // A viewer cannot bind a key to the project.
        assertEquals(
                0,
                cli.run("project", "members", "add", bob.handle(), "--role", "viewer")
                        .exit());
        refused(bob.cli().run("keys", "use", "bobs", "--project", alice.project()), 1, "researcher");
        refused(bob.cli().run("keys", "use", "bobs", "--project", "nobody-here/none"), 1, "not found");
    }

    @Test
    void providersAreListedOverRest() throws Exception {
        Rest.Reply providers = Rest.send("GET", "/v1/providers", null);
        assertEquals(200, providers.status(), providers.json().toString());
        assertEquals(10, providers.json().path("providers").size());
    }
}
