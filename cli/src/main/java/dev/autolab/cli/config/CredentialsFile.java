package dev.autolab.cli.config;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.autolab.cli.json.Json;

/**
 * {@code $XDG_CONFIG_HOME/autolab/credentials.json} (default {@code ~/.config/autolab/}): one entry
 * per host, so logins to different hosts coexist. The folder is 0700 and the file 0600, written to
 * a temporary file and moved into place, so a crash never leaves half a file. A file that group or
 * others may read or write is refused, as ssh refuses such a key: the token in it may already be
 * someone else's (exit 4).
 */
public final class CredentialsFile {
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    /** The file's content. */
    public static class Content {
        public String activeHost;
        public Map<String, HostEntry> hosts = new TreeMap<>();
    }

    private final Path file;

    public CredentialsFile(Path file) {
        this.file = file;
    }

    public static CredentialsFile fromEnvironment(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        // $HOME as the shell has it: Java's user.home comes from the password database, which a CI
        // runner or a container with its own HOME does not change.
        String home = env.get("HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config");
        return new CredentialsFile(base.resolve("autolab").resolve("credentials.json"));
    }

    public Path path() {
        return file;
    }

    public Content read() {
        if (!Files.exists(file)) {
            return new Content();
        }
        try {
            checkOwnerOnly();
            Json json = Json.parse(Files.readString(file));
            if (!json.isObject()) {
                throw new IOException("not a JSON object");
            }
            Content content = new Content();
            content.activeHost = json.path("activeHost").isTextual()
                    ? json.path("activeHost").asText()
                    : null;
            json.path("hosts").fields().forEachRemaining(host -> {
                if (host.getValue().isObject()) {
                    content.hosts.put(host.getKey(), HostEntry.from(host.getValue()));
                }
            });
            return content;
        } catch (IOException | RuntimeException e) {
            if (e instanceof LocalProblem problem) {
                throw problem;
            }
            throw new LocalProblem(
                    "cannot read " + file + " (" + e.getMessage() + "); fix or delete it and log in again");
        }
    }

    private void checkOwnerOnly() throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException notPosix) {
            return;
        }
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new LocalProblem(file + " holds your tokens but others may read or change it (mode "
                    + PosixFilePermissions.toString(perms) + "); run `chmod 600 " + file
                    + "` if no one else could have read it, else delete it, revoke its tokens and log in again");
        }
    }

    private static byte[] encode(Content content) {
        Json json = Json.object();
        if (content.activeHost != null) {
            json.put("activeHost", content.activeHost);
        }
        Json hosts = json.putObject("hosts");
        content.hosts.forEach((host, entry) -> hosts.put(host, entry.toJson()));
        return (json.pretty(null) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public void write(Content content) {
        try {
            Path dir = file.getParent();
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Path temp = Files.createTempFile(
                    dir,
                    ".credentials",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(temp, encode(content));
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new LocalProblem("cannot write " + file + ": " + e.getMessage());
        }
    }
}
