package dev.autolab.gateway.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Where to send a person after sign-in: only a path on this site, spelled with characters that no
 * browser reinterprets. Browsers drop tabs and newlines from URLs and treat {@code \} as {@code /},
 * so {@code /\evil.example} or {@code /%09/evil.example} can become {@code //evil.example}, another
 * site; anything that is not plainly a local path goes to {@code /}.
 */
final class NextPath {
    static final String HOME = "/";
    private static final int MAX_LENGTH = 2048;
    /** Path, query and fragment characters of RFC 3986 without the ones that can start an authority. */
    private static final Pattern SAFE = Pattern.compile("/[A-Za-z0-9\\-._~!$&'()*+,;=:@/?%#]*");

    private static final Pattern PERCENT = Pattern.compile("%[0-9A-Fa-f]{2}");

    private NextPath() {}

    static String safe(String next) {
        if (next == null || next.length() > MAX_LENGTH || !SAFE.matcher(next).matches()) {
            return HOME;
        }
        // Every escape must be well formed, and decoding must not reveal a control character, a
        // backslash or a second leading slash: check each level of encoding (%2509 is %09 is a tab).
        String level = next;
        for (int depth = 0; depth < 4; depth++) {
            if (level.startsWith("//") || level.startsWith("/\\") || hasForbidden(level)) {
                return HOME;
            }
            if (level.indexOf('%') < 0) {
                return next;
            }
            String stripped = PERCENT.matcher(level).replaceAll("");
            if (stripped.indexOf('%') >= 0) {
                return HOME;
            }
            level = decodeOnce(level);
            if (level == null) {
                return HOME;
            }
        }
        return HOME;
    }

    private static boolean hasForbidden(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || (c >= 0x80 && c <= 0x9f)) {
                return true;
            }
        }
        return false;
    }

    /** One level of %XX decoding as UTF-8; null when the bytes are not UTF-8. */
    private static String decodeOnce(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
