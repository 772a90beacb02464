package dev.autolab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Commands other than {@code serve} stay fast: building the command line (which reflects on every
 * command, {@code serve} included) loads no gRPC, Netty or protobuf class. Checked in a fresh JVM
 * with {@code -verbose:class}.
 */
class StartupTest {
    @Test
    void helpAndOtherCommandsLoadNoGrpc() throws Exception {
        for (List<String> args : List.of(List.of("--help"), List.of("whoami", "--help"), List.of("nodes", "--help"))) {
            String classes = loadedClasses(args);
            assertTrue(classes.contains("dev.autolab.cli.serve.ServeCommand"), "the check sees the CLI's classes");
            for (String prefix : List.of("io.grpc.", "io.netty.", "com.google.protobuf.", "dev.autolab.proto.")) {
                assertTrue(!classes.contains(" " + prefix), args + " loaded " + prefix + "*");
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
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
