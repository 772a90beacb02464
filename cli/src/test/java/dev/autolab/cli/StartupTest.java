package dev.autolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Commands other than {@code serve} stay fast: they load no gRPC, Netty or protobuf class, and
 * neither {@code java.net.http} nor jackson-databind. Checked in a fresh JVM
 * with {@code -verbose:class}.
 */
class StartupTest {
    @Test
    void helpAndOtherCommandsLoadNoGrpc() throws Exception {
        for (List<String> args : List.of(List.of("--help"), List.of("whoami"), List.of("serve", "--help"))) {
            String classes = loadedClasses(args);
            assertTrue(classes.contains("dev.autolab.cli.Autolab"), "the check sees the CLI's classes");
            for (String prefix : List.of("io.grpc.", "io.netty.", "com.google.protobuf.", "dev.autolab.proto.")) {
                assertTrue(!classes.contains(" " + prefix), args + " loaded " + prefix + "*");
            }
            // The heavy libraries the CLI left for a fast start (issue 9) stay out of everyday commands.
            for (String prefix : List.of("java.net.http.", "com.fasterxml.jackson.databind.")) {
                assertTrue(!classes.contains(" " + prefix), args + " loaded " + prefix.trim() + "*");
            }
        }
    }

    private static String loadedClasses(List<String> args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(
                java.toString(),
                "-Xshare:off",
                "-verbose:class",
                "-cp",
                System.getProperty("java.class.path"),
                Autolab.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // whoami against a host nobody listens on: it runs the command, then exits 3.
        builder.environment().put("AUTOLAB_HOST", "http://127.0.0.1:1");
        builder.environment().put("AUTOLAB_TOKEN", "al_x");
        builder.environment()
                .put(
                        "XDG_CONFIG_HOME",
                        Files.createTempDirectory("autolab-startup").toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(args.get(0).equals("whoami") ? 3 : 0, p.exitValue(), out);
        return out;
    }
}
