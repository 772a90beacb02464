package dev.autolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.autolab.cli.command.Terminal;
import dev.autolab.cli.serve.LocalMachine;
import dev.autolab.cli.serve.Pacing;

/** {@code autolab nodes} and {@code autolab nodes rm} against a stand-in gateway. */
class NodesTest {
    private static final Instant NOW = Instant.parse("2026-11-29T14:00:00Z");
    private static final String NODES = "{\"nodes\":["
            + "{\"id\":\"1a2b3c4d-5e6f-4a0b-8c0d-0e0f10111213\",\"project\":\"alice/nanochat\",\"hostname\":\"gpu-box\","
            + "\"labels\":{\"zone\":\"eu\",\"spot\":\"true\"},"
            + "\"resources\":{\"cpus\":8,\"memoryBytes\":\"33437462528\",\"gpus\":[{\"model\":\"NVIDIA H100 80GB HBM3\","
            + "\"memoryBytes\":\"85520809984\"}]},\"status\":\"NODE_STATUS_ONLINE\",\"registeredBy\":\"alice\","
            + "\"registeredAt\":\"2026-11-28T10:00:00Z\",\"lastSeenAt\":\"2026-11-29T13:59:58Z\"},"
            + "{\"id\":\"9f8e7d6c-0000-4000-8000-000000000002\",\"project\":\"alice/nanochat\",\"hostname\":\"laptop\","
            + "\"resources\":{\"cpus\":4,\"memoryBytes\":\"8589934592\"},\"status\":\"NODE_STATUS_OFFLINE\","
            + "\"lastSeenAt\":\"2026-11-29T11:00:00Z\"}]}";

    private StubServer server;
    private Path config;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        server = new StubServer();
        config = Files.createTempDirectory("autolab-nodes-test");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run autolab(String... args) {
        return autolab(true, args);
    }

    private Run autolab(boolean unicode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal term = new Terminal(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(
                        "AUTOLAB_HOST", server.url(),
                        "AUTOLAB_TOKEN", "al_test",
                        "AUTOLAB_PROJECT", "alice/nanochat",
                        "XDG_CONFIG_HOME", config.toString(),
                        "HOME", config.toString()));
        LocalMachine local = new LocalMachine(
                Clock.fixed(NOW, ZoneOffset.UTC),
                config,
                false,
                unicode,
                Pacing.real(),
                onStop -> () -> {},
                new Random(1));
        int exit = Autolab.run(term, local, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anAlignedTableOfTheProjectsNodes() {
        server.answer("GET /v1/projects/alice/nanochat/nodes", 200, NODES);
        Run r = autolab("nodes");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(
                "ID        NAME     STATUS   RESOURCES                 LABELS             LAST SEEN\n"
                        + "1a2b3c4d  gpu-box  online   8 CPU · 31 GiB · 1× H100  spot=true,zone=eu  just now\n"
                        + "9f8e7d6c  laptop   offline  4 CPU · 8 GiB             -                  3 hours ago\n",
                r.out());
    }

    @Test
    void plainAsciiWhereTheTerminalCannotShowMore() {
        server.answer("GET /v1/projects/alice/nanochat/nodes", 200, NODES);
        Run r = autolab(false, "nodes");
        assertTrue(r.out().contains("  8 CPU, 31 GiB, 1x H100  "), r.out());
    }

    @Test
    void anotherProjectWithTheOption() {
        server.answer("GET /v1/projects/bob/x/nodes", 200, "{}");
        Run r = autolab("nodes", "--project", "bob/x");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out());
        assertTrue(
                r.err().contains("No nodes in bob/x yet. Make a machine one with `autolab serve --project bob/x`."),
                r.err());
    }

    @Test
    void jsonIsTheListOfNodes() throws Exception {
        server.answer("GET /v1/projects/alice/nanochat/nodes", 200, NODES);
        Run r = autolab("nodes", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode nodes = new ObjectMapper().readTree(r.out());
        assertTrue(nodes.isArray());
        assertEquals(2, nodes.size());
        assertEquals("gpu-box", nodes.path(0).path("hostname").asText());
        assertEquals("NODE_STATUS_ONLINE", nodes.path(0).path("status").asText());
        assertEquals(8, nodes.path(0).path("resources").path("cpus").asInt());
        assertEquals("eu", nodes.path(0).path("labels").path("zone").asText());
        server.answer("GET /v1/projects/alice/nanochat/nodes", 200, "{}");
        assertEquals("[]\n", autolab("nodes", "--json").out(), "no nodes is an empty list");
    }

    @Test
    void rmRemovesByNameAndSaysWhichNode() {
        server.answer("GET /v1/projects/alice/nanochat/nodes", 200, NODES);
        server.answer("DELETE /v1/projects/alice/nanochat/nodes/gpu-box", 200, "{}");
        Run r = autolab("nodes", "rm", "gpu-box");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(
                server.requests.contains("DELETE /v1/projects/alice/nanochat/nodes/gpu-box"),
                server.requests.toString());
        assertEquals(
                "Removed node gpu-box (1a2b3c4d) from alice/nanochat; its credential is revoked and a running "
                        + "`autolab serve` on it stops.\n",
                r.err());
    }

    @Test
    void rmByIdPrefixInAnotherProject() {
        server.answer("GET /v1/projects/bob/x/nodes", 200, NODES);
        server.answer("DELETE /v1/projects/bob/x/nodes/9f8e", 200, "{}");
        Run r = autolab("nodes", "rm", "9f8e", "--project", "bob/x");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().startsWith("Removed node laptop (9f8e7d6c) from bob/x"), r.err());
    }

    @Test
    void rmRefusedSaysWhyExit1() {
        server.answer("GET /v1/projects/alice/nanochat/nodes", 200, NODES);
        server.answer(
                "DELETE /v1/projects/alice/nanochat/nodes/gpu-box",
                403,
                "{\"code\":7,\"message\":\"removing a node of alice/nanochat needs the admin role or above; you are "
                        + "researcher\"}");
        Run r = autolab("nodes", "rm", "gpu-box");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(
                "error: removing a node of alice/nanochat needs the admin role or above; you are researcher\n",
                r.err());
        assertEquals(
                List.of("GET /v1/projects/alice/nanochat/nodes", "DELETE /v1/projects/alice/nanochat/nodes/gpu-box"),
                server.requests);
    }

    @Test
    void aNodeNameCannotDriveTheTerminal() {
        server.answer(
                "GET /v1/projects/alice/nanochat/nodes",
                200,
                "{\"nodes\":[{\"id\":\"1a2b3c4d\",\"hostname\":\"x\\u001b[2J\",\"labels\":{\"k\":\"v\\r\"},"
                        + "\"resources\":{\"gpus\":[{\"model\":\"\\u009b31m\"}]}}]}");
        Run r = autolab("nodes");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(
                r.out().contains("x\\x1b[2J")
                        && r.out().contains("k=v\\x0d")
                        && r.out().contains("\\x9b31m"),
                r.out());
        assertTrue(r.out().chars().noneMatch(c -> c == 0x1b || c == '\r' || c == 0x9b), r.out());
    }
}
