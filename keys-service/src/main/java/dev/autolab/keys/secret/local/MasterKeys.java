package dev.autolab.keys.secret.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The built-in store's AES-256 master keys: the current one (writes) and earlier ones (reads only,
 * so the master key can be rotated without re-encrypting at once). Each is named by an id derived
 * from it, which is stored next to every ciphertext.
 */
public final class MasterKeys {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String currentId;
    private final Map<String, SecretKey> byId;

    private MasterKeys(List<byte[]> keys) {
        Map<String, SecretKey> all = new LinkedHashMap<>();
        for (byte[] key : keys) {
            if (key.length != 32) {
                throw new IllegalArgumentException(
                        "a master key must be 32 bytes (base64 of 32 random bytes), not " + key.length);
            }
            all.putIfAbsent(idOf(key), new SecretKeySpec(key, "AES"));
        }
        this.currentId = idOf(keys.get(0));
        this.byId = Map.copyOf(all);
    }

    /** The current key first, then earlier ones. */
    public static MasterKeys of(byte[] current, List<byte[]> previous) {
        List<byte[]> keys = new java.util.ArrayList<>();
        keys.add(current);
        keys.addAll(previous);
        return new MasterKeys(keys);
    }

    public static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a master key must be base64 (of 32 random bytes)");
        }
    }

    /**
     * Reads the master key from {@code file}, creating it (owner-only, 0600) with a fresh random key on
     * first start. An existing file that others can read is refused.
     */
    public static byte[] fromFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                return key;
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: read theirs
            }
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(mode)) {
            throw new IllegalStateException("the master key file " + file + " is readable by others ("
                    + PosixFilePermissions.toString(mode) + "); run `chmod 600 " + file + "`");
        }
        return decode(Files.readString(file, StandardCharsets.US_ASCII));
    }

    public String currentId() {
        return currentId;
    }

    public SecretKey current() {
        return byId.get(currentId);
    }

    /** The key with this id, or null when it is not configured (any more). */
    public SecretKey byId(String id) {
        return byId.get(id);
    }

    static String idOf(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("autolab master key id\0".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(key), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
