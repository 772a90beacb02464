package dev.autolab.auth.device;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * User codes like {@code WDJB-MJHT}: 8 letters from an alphabet without vowels (no words) and
 * without look-alikes, so they read aloud and type easily (RFC 8628 §6.1). 20^8 ≈ 2.6e10.
 */
final class UserCodes {
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private UserCodes() {}

    static String generate() {
        StringBuilder code = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** What a person typed, as stored: upper case, dash in the middle; {@code null} if it cannot be a code. */
    static String normalize(String typed) {
        if (typed == null) {
            return null;
        }
        String letters = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
        if (letters.length() != 8 || !letters.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            return null;
        }
        return letters.substring(0, 4) + "-" + letters.substring(4);
    }
}
