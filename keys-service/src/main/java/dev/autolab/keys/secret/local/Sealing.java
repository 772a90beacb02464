package dev.autolab.keys.secret.local;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import dev.autolab.keys.secret.SecretRef;

/**
 * AES-256-GCM with a fresh 12-byte nonce per write. The associated data binds a ciphertext to its
 * key id, owner and version, so a ciphertext copied onto another row does not decrypt.
 */
final class Sealing {
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();

    record Sealed(byte[] nonce, byte[] ciphertext) {}

    Sealed seal(SecretKey key, SecretRef ref, int version, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(ref, version));
            return new Sealed(nonce, cipher.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The value, or null when the ciphertext does not belong to this key, owner and version (or was altered). */
    String open(SecretKey key, SecretRef ref, int version, byte[] nonce, byte[] ciphertext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(ref, version));
            return new String(cipher.doFinal(ciphertext), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] associatedData(SecretRef ref, int version) {
        return ("autolab-key:" + ref.keyId() + ":owner:" + ref.ownerId() + ":v" + version)
                .getBytes(StandardCharsets.US_ASCII);
    }
}
