package dev.autolab.cli.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.autolab.cli.config.LocalProblem;

/**
 * {@code $XDG_STATE_HOME/autolab/} (default {@code $HOME/.local/state/autolab/}, $HOME as the shell
 * has it): one file per (host, project) holding the node's credential, and the machine id generated
 * where /etc/machine-id is missing. Folder 0700, files 0600, written to a temporary file and moved
 * into place. A credential file that others can read is refused (exit code 4) rather than used.
 */
public final class NodeStateStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    public NodeStateStore(Path dir) {
        this.dir = dir;
    }

    public static NodeStateStore fromEnvironment(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        String home = env.get("HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".local", "state");
        return new NodeStateStore(base.resolve("autolab"));
    }

    public Path dir() {
        return dir;
    }

    /** {@code node-<host>-<project>-<hash>.json}: readable by people, unique by the hash of both. */
    public Path fileFor(String host, String project) {
        String hash;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((host + "\n" + project).getBytes(StandardCharsets.UTF_8));
            hash = HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return dir.resolve(
                "node-" + slug(host.replaceFirst("^https?://", "")) + "-" + slug(project) + "-" + hash + ".json");
    }

    private static String slug(String s) {
        String slug = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._]+", "-").replaceAll("^-+|-+$", "");
        return slug.length() > 60 ? slug.substring(0, 60) : slug;
    }

    /** The node stored for (host, project), or null. */
    public StoredNode load(String host, String project) {
        Path file = fileFor(host, project);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw new LocalProblem(file + " holds a node credential but others may read it (mode "
                        + PosixFilePermissions.toString(perms) + "); delete it and run `autolab serve` again");
            }
            StoredNode node = JSON.readValue(file.toFile(), StoredNode.class);
            if (node.credential == null || node.credential.isBlank() || node.nodeId == null) {
                return null;
            }
            if (node.labels == null) {
                node.labels = new TreeMap<>();
            }
            return node;
        } catch (IOException e) {
            throw new LocalProblem(
                    "cannot read " + file + " (" + e.getMessage() + "); delete it and run `autolab serve` again");
        }
    }

    public void save(StoredNode node) {
        write(fileFor(node.host, node.project), bytes(node));
    }

    /**
     * Deletes the credential file of (host, project) if it still holds {@code credential}: another
     * {@code serve} on this machine may have registered again and stored a newer one.
     */
    public boolean forget(String host, String project, String credential) {
        Path file = fileFor(host, project);
        try {
            StoredNode stored = Files.exists(file) ? JSON.readValue(file.toFile(), StoredNode.class) : null;
            if (stored == null || !credential.equals(stored.credential)) {
                return false;
            }
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new LocalProblem("cannot delete " + file + ": " + e.getMessage());
        }
    }

    /** The id generated for this machine the first time it was needed (where /etc/machine-id is missing). */
    public String generatedMachineId() {
        Path file = dir.resolve("machine-id");
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file).trim();
                if (id.matches("^[0-9a-f]{32}$")) {
                    return id;
                }
            }
        } catch (IOException e) {
            throw new LocalProblem("cannot read " + file + ": " + e.getMessage());
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        write(file, (id + "\n").getBytes(StandardCharsets.UTF_8));
        return id;
    }

    private static byte[] bytes(StoredNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the node state: " + e.getMessage());
        }
    }

    private void write(Path file, byte[] content) {
        try {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Path temp = Files.createTempFile(dir, ".node", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.write(temp, content);
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
