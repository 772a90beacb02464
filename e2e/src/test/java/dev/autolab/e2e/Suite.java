package dev.autolab.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.autolab.local.DevSuite;

/** One running suite per test JVM, started by the same code as {@code bin/autolab-dev}, stopped at exit. */
final class Suite {
    private static DevSuite suite;

    private Suite() {}

    static synchronized DevSuite get() {
        if (suite == null) {
            try {
                Path root = root();
                Path home = Files.createTempDirectory(root.resolve("e2e/target"), "suite-");
                suite = DevSuite.start(root, home, DevSuite.freePort(), System.err);
                DevSuite started = suite;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "e2e-suite-stop"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the suite: " + e.getMessage(), e);
            }
        }
        return suite;
    }

    static String url() {
        return get().gatewayUrl();
    }

    static Path root() {
        return Path.of(System.getProperty("autolab.root", ".."))
                .toAbsolutePath()
                .normalize();
    }
}
