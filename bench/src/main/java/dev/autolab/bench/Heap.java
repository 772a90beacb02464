package dev.autolab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM's live heap, as {@code jcmd <pid> GC.run} (a full collection, so only what is reachable
 * is counted) followed by {@code jstat -gc <pid>} (survivor + eden + old "used" columns), and its
 * resident set from {@code /proc}. Both tools come with the JDK running the benchmark.
 */
final class Heap {
    private Heap() {}

    /** Live heap in bytes after a full GC, or -1 when the process cannot be inspected. */
    static long liveBytes(long pid) {
        try {
            run("jcmd", String.valueOf(pid), "GC.run");
            List<String> lines = run("jstat", "-gc", String.valueOf(pid));
            if (lines.size() < 2) {
                return -1;
            }
            List<String> names = List.of(lines.get(0).trim().split("\\s+"));
            String[] values = lines.get(1).trim().split("\\s+");
            double kb = 0;
            for (String column : List.of("S0U", "S1U", "EU", "OU")) {
                int i = names.indexOf(column);
                if (i >= 0 && i < values.length) {
                    kb += Double.parseDouble(values[i]);
                }
            }
            return (long) (kb * 1024);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            System.err.println("cannot read the heap of pid " + pid + ": " + e);
            return -1;
        }
    }

    /** Resident set size in bytes, or -1. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone or not Linux
        }
        return -1;
    }

    static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.1f MB", bytes / 1048576.0);
    }

    private static List<String> run(String tool, String... args) throws IOException, InterruptedException {
        Path binary = Path.of(System.getProperty("java.home"), "bin", tool);
        List<String> command = new java.util.ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(tool + " failed: " + out.strip());
        }
        return out.lines().toList();
    }
}
