package dev.autolab.gateway.oauth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body, read strictly as RFC 6749 asks: UTF-8 (§B), a
 * parameter sent twice is an error (§3.1), a parameter without a value counts as absent (§3.1). Anything
 * malformed is an {@link OAuthError} {@code invalid_request} naming what is wrong, never a guess.
 */
final class FormBody {
    private FormBody() {}

    /** Whether a content-type header is a form's (any case, parameters allowed; a charset must be UTF-8). */
    static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "");
                if (!charset.equals("utf-8") && !charset.equals("us-ascii")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The parameters with a value, by name; throws {@link Malformed} when the body cannot be one. */
    static Map<String, String> parse(byte[] body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        int start = 0;
        while (start <= body.length) {
            int end = indexOf(body, (byte) '&', start);
            if (end > start) {
                int equals = indexOf(body, (byte) '=', start);
                boolean hasValue = equals < end;
                String name = decode(body, start, hasValue ? equals : end);
                String value = hasValue ? decode(body, equals + 1, end) : "";
                if (name.isEmpty()) {
                    throw new Malformed("a form parameter has no name");
                }
                if (!value.isEmpty() && parameters.put(name, value) != null) {
                    throw new Malformed(name + " is given more than once; send each parameter once");
                }
            }
            start = end + 1;
        }
        return parameters;
    }

    private static int indexOf(byte[] body, byte wanted, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == wanted) {
                return i;
            }
        }
        return body.length;
    }

    private static String decode(byte[] body, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                bytes.write(' ');
            } else if (b == '%') {
                if (i + 2 >= to) {
                    throw new Malformed("the form body has a '%' not followed by two hex digits");
                }
                int high = Character.digit(body[i + 1], 16);
                int low = Character.digit(body[i + 2], 16);
                if (high < 0 || low < 0) {
                    throw new Malformed("the form body has a '%' not followed by two hex digits");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.write(b);
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("the form body is not UTF-8");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                throw new Malformed("a form parameter contains a control character");
            }
        }
        return text;
    }

    /** The body is not a well-formed form: {@code invalid_request} with this message. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
