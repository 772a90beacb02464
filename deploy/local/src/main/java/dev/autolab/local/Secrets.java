package dev.autolab.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/** Owner-only folders and secret files under the suite's home. */
final class Secrets {
    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** Creates the folder when missing and makes it 0700 either way. */
    static Path privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, OWNER_DIR);
        return dir;
    }

    /** 32 characters of base64url from 24 random bytes: no quotes, spaces or other characters to escape. */
    static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The secret in the file, or null when there is none; a file others could read is made 0600. */
    static String read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        Files.setPosixFilePermissions(file, OWNER_FILE);
        String value = Files.readString(file, StandardCharsets.UTF_8).strip();
        return value.isEmpty() ? null : value;
    }

    /** Writes the secret atomically into a file that is 0600 from its first byte. */
    static void write(Path file, String secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
