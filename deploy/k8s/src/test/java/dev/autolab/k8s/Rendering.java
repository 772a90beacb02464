package dev.autolab.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The overlays as Kubernetes receives them. {@code rendered/<overlay>.yaml} is committed so that a
 * machine without kubectl still checks exactly what would be applied; where kubectl is on the PATH the
 * tests render afresh and require the committed copy to match, so it cannot go stale
 * ({@code deploy/k8s/render.sh} rewrites it).
 */
final class Rendering {
    /** This module's folder, deploy/k8s (Maven runs tests there). */
    static final Path HOME = Path.of("").toAbsolutePath();

    static final Path REPO = HOME.getParent().getParent();

    private Rendering() {}

    static Path committedFile(String overlay) {
        return HOME.resolve("rendered").resolve(overlay + ".yaml");
    }

    static String committed(String overlay) {
        return read(committedFile(overlay));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh rendering by {@code kubectl kustomize}, or empty where kubectl is not installed. */
    static Optional<String> fresh(String overlay) {
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path out = Files.createTempFile("kustomize-" + overlay, ".yaml");
            Path err = Files.createTempFile("kustomize-" + overlay, ".err");
            Process p = new ProcessBuilder(
                            kubectl.get().toString(),
                            "kustomize",
                            HOME.resolve("overlays").resolve(overlay).toString())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + overlay + " did not finish in 120 s");
            }
            String yaml = read(out);
            String errors = read(err);
            Files.delete(out);
            Files.delete(err);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize overlays/" + overlay + " failed: " + errors);
            }
            return Optional.of(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * kubectl from the PATH; {@code -Dautolab.kubectl=none} checks only the committed rendering (as on a
     * machine without kubectl), {@code -Dautolab.kubectl=/path/to/kubectl} picks one.
     */
    private static Optional<Path> onPath(String command) {
        String chosen = System.getProperty("autolab." + command, "");
        if (chosen.equals("none")) {
            return Optional.empty();
        }
        if (!chosen.isEmpty()) {
            return Optional.of(Path.of(chosen));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
