package dev.autolab.common.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * Mints and checks Autolab credentials: {@code prefix + 30 random base62 + 6 base62 of CRC32(random)}.
 *
 * <p>The checksum lets secret scanners recognise a real token and lets services reject a mistyped
 * or truncated one without a database lookup. It is not a security boundary: the 178 random bits
 * are. Only {@link #hash(String)} of a token is ever stored.
 */
public final class TokenCodec {
    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final int RANDOM_LENGTH = 30;
    static final int CHECKSUM_LENGTH = 6;

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenCodec() {}

    public static String mint(TokenType type) {
        char[] random = new char[RANDOM_LENGTH];
        for (int i = 0; i < random.length; i++) {
            random[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        String body = new String(random);
        return type.prefix() + body + checksum(body);
    }

    /** The token's type when it is well formed with a valid checksum; {@code null} otherwise. */
    public static TokenType typeOf(String token) {
        if (token == null) {
            return null;
        }
        TokenType type = prefixOf(token);
        if (type == null || token.length() != type.prefix().length() + RANDOM_LENGTH + CHECKSUM_LENGTH) {
            return null;
        }
        int start = type.prefix().length();
        for (int i = start; i < token.length(); i++) {
            if (!isBase62(token.charAt(i))) {
                return null;
            }
        }
        String body = token.substring(start, start + RANDOM_LENGTH);
        return token.endsWith(checksum(body)) ? type : null;
    }

    public static boolean isValid(String token, TokenType expected) {
        return typeOf(token) == expected;
    }

    /** SHA-256 of the whole token: the only form in which a credential is stored. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static TokenType prefixOf(String token) {
        for (TokenType type : TokenType.values()) {
            if (token.startsWith(type.prefix())) {
                return type;
            }
        }
        return null;
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(out);
    }

    private static boolean isBase62(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
