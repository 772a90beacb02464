package dev.autolab.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code bin/autolab-dev}: runs the suite until Ctrl-C, then stops every process it started.
 * {@code AUTOLAB_DEV_HOME} (default {@code ~/.local/share/autolab/dev}) keeps the database and logs;
 * {@code AUTOLAB_DEV_PORT} (default 8080) is the gateway's port. Everything listens on 127.0.0.1;
 * the database's password is in {@code <home>/postgres/password}. Killed without its shutdown hook
 * (SIGKILL), it leaves nothing running: see {@link Watchdog}.
 */
public final class AutolabDev {
    private AutolabDev() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        // $HOME as the shell has it (Java's user.home comes from the password database).
        String userHome = env.getOrDefault("HOME", System.getProperty("user.home"));
        Path home = Path.of(env.getOrDefault(
                "AUTOLAB_DEV_HOME",
                Path.of(userHome, ".local/share/autolab/dev").toString()));
        Secrets.privateDirectory(home);
        int port;
        try {
            port = Integer.parseInt(env.getOrDefault("AUTOLAB_DEV_PORT", "8080"));
        } catch (NumberFormatException e) {
            System.err.println("AUTOLAB_DEV_PORT must be a port number");
            System.exit(2);
            return;
        }
        Path root = Path.of(System.getProperty("autolab.root", "."))
                .toAbsolutePath()
                .normalize();
        DevSuite suite;
        try {
            suite = DevSuite.start(root, home, port, System.err);
        } catch (Exception e) {
            System.err.println("autolab-dev: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.err.println("\nstopping the suite...");
                            suite.close();
                            System.err.println("stopped.");
                        },
                        "autolab-dev-stop"));
        String host = suite.gatewayUrl();
        System.err.println();
        System.err.println("Autolab is running at " + host + "  (Ctrl-C stops it)");
        System.err.println("Next, in another shell:");
        System.err.println("  bin/autolab login" + (port == 8080 ? "" : " --host " + host));
        System.err.println("Sign up in the browser at " + host + "/signup the first time.");
        System.err.println("PostgreSQL: 127.0.0.1:" + suite.postgresPort() + ", user " + LocalPostgres.USER
                + ", password in " + home.resolve("postgres/password"));
        while (true) {
            Thread.sleep(1000);
            DevSuite.Service dead = suite.firstDead();
            if (dead != null) {
                System.err.println(dead.name() + " stopped unexpectedly (exit "
                        + dead.process().exitValue() + "); last lines of " + dead.log() + ":\n"
                        + DevSuite.tail(dead.log(), 20));
                System.exit(1);
            }
        }
    }
}
