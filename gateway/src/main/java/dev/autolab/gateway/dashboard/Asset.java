package dev.autolab.gateway.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One static file of the dashboard, read from the classpath once: its bytes, type and validator. */
record Asset(byte[] bytes, String contentType, String etag) {

    static Asset load(String resource, String contentType) {
        try (InputStream in = Asset.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the gateway jar lacks " + resource);
            }
            byte[] bytes = in.readAllBytes();
            return new Asset(bytes, contentType, "\"" + sha256(bytes).substring(0, 32) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    String text() {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
