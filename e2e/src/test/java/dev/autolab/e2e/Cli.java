package dev.autolab.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs the real {@code autolab} CLI as a process, with its own config folder and environment. */
final class Cli {
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path configHome;
    private final Map<String, String> env = new HashMap<>();

    Cli(Path configHome) {
        this.configHome = configHome;
        env.put("XDG_CONFIG_HOME", configHome.toString());
        env.put("AUTOLAB_HOST", Suite.url());
    }

    Path credentials() {
        return configHome.resolve("autolab/credentials.json");
    }

    Cli env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    Result run(String... args) throws Exception {
        Process p = start(args);
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("autolab " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), out.get(), err.get());
    }

    /** Runs a command with {@code stdin} as its (non-terminal) standard input. */
    Result runWithStdin(String stdin, String... args) throws Exception {
        Process p = start(args);
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("autolab " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), out.get(), err.get());
    }

    /** Starts a command and returns once a stderr line matches; the process keeps running. */
    Running runUntil(Predicate<String> stderrLine, String... args) throws Exception {
        Process p = start(args);
        CompletableFuture<String> out = read(p.getInputStream());
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = err.readLine()) != null) {
            seen.add(line);
            if (stderrLine.test(line)) {
                return new Running(p, out, err, seen);
            }
        }
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
                "autolab " + String.join(" ", args) + " ended before the expected output:\n" + String.join("\n", seen));
    }

    record Running(Process process, CompletableFuture<String> out, BufferedReader err, List<String> seen) {
        Result await() throws Exception {
            CompletableFuture<String> rest = read(err);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("did not finish: " + seen);
            }
            return new Result(process.exitValue(), out.get(), String.join("\n", seen) + "\n" + rest.get());
        }
    }

    /** Starts a long-running command (such as {@code serve}); its stderr lines are collected as they come. */
    Background background(String... args) throws IOException {
        Process p = start(args);
        return new Background(p, read(p.getInputStream()), p.getErrorStream(), String.join(" ", args));
    }

    /** A command still running, e.g. {@code autolab serve}: its stderr so far, and how it ends. */
    static final class Background implements AutoCloseable {
        private final Process process;
        private final CompletableFuture<String> out;
        private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        private final String command;
        private final Thread reader;

        Background(Process process, CompletableFuture<String> out, java.io.InputStream err, String command) {
            this.process = process;
            this.out = out;
            this.command = command;
            this.reader = new Thread(
                    () -> {
                        try (BufferedReader r =
                                new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = r.readLine()) != null) {
                                lines.add(line);
                            }
                        } catch (IOException ended) {
                            // the process ended
                        }
                    },
                    "stderr of autolab " + command);
            reader.setDaemon(true);
            reader.start();
        }

        Process process() {
            return process;
        }

        /** How many stderr lines so far match. */
        long count(Predicate<String> line) {
            synchronized (lines) {
                return lines.stream().filter(line).count();
            }
        }

        /** Waits (polling, with a deadline) until {@code times} stderr lines match. */
        void awaitLines(Predicate<String> line, long times, java.time.Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            while (count(line) < times) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("autolab " + command + ": no such line within " + within + "; stderr:\n"
                            + stderr() + (process.isAlive() ? "" : "\n(exited " + process.exitValue() + ")"));
                }
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // polling interval
            }
        }

        String stderr() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** Waits for the process to exit by itself. */
        Result awaitExit(java.time.Duration within) throws Exception {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        "autolab " + command + " still runs after " + within + "; stderr:\n" + stderr());
            }
            String stdout = out.get(10, TimeUnit.SECONDS);
            reader.join(10_000); // it ends when the pipe closes, after the last line
            return new Result(process.exitValue(), stdout, stderr());
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                Suite.root().resolve("cli/target/autolab-cli.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", configHome.toString());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static CompletableFuture<String> read(java.io.InputStream in) {
        return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    }

    private static CompletableFuture<String> read(BufferedReader reader) {
        return CompletableFuture.supplyAsync(() -> {
            StringBuilder all = new StringBuilder();
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    all.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
            return all.toString();
        });
    }
}
