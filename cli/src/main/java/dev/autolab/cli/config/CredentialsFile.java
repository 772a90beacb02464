package dev.autolab.cli.config;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code $XDG_CONFIG_HOME/autolab/credentials.json} (default {@code ~/.config/autolab/}): one entry
 * per host, so logins to different hosts coexist. The folder is 0700 and the file 0600, written to
 * a temporary file and moved into place, so a crash never leaves half a file.
 */
public final class CredentialsFile {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

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
            Content content = JSON.readValue(file.toFile(), Content.class);
            if (content.hosts == null) {
                content.hosts = new TreeMap<>();
            }
            return content;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read " + file + " (" + e.getMessage() + "); fix or delete it and log in again");
        }
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
                Files.write(temp, JSON.writeValueAsBytes(content));
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
