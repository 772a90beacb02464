package dev.autolab.auth.revocation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The PostgreSQL notification replicas tell each other revocations with: channel
 * {@value #CHANNEL}, payload the revoked ids joined by commas, each id of a node credential followed
 * by {@code :} and its reason ({@code 6f1c…:role_lost}), so that reasons reach every replica's
 * watchers too. A payload must stay under 8000 bytes, so long lists go out as several notifications;
 * an id and its reason are never split.
 */
public final class RevocationNotices {
    public static final String CHANNEL = "autolab_revocations";
    /** An empty notice: proves the channel still delivers (see {@code RevocationListener.tick}). */
    static final String PING = "SELECT pg_notify('" + CHANNEL + "', '')";
    /** PostgreSQL refuses payloads of 8000 bytes or more; keep a margin. */
    static final int MAX_PAYLOAD_BYTES = 7900;

    private RevocationNotices() {}

    /** The payloads announcing {@code ids} (no reasons), each under the limit. */
    public static List<String> payloads(List<UUID> ids) {
        return payloads(new CredentialsRevoked(ids));
    }

    /**
     * The payloads announcing {@code revoked}, each under the limit, together naming every id once
     * with its reason. A reason that is not one word ({@link RevocationReasons#isWellFormed}) cannot
     * be carried and is a bug: refused here rather than garbling the payload.
     */
    public static List<String> payloads(CredentialsRevoked revoked) {
        List<String> payloads = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (UUID id : revoked.ids()) {
            String reason = revoked.reasons().get(id);
            if (reason != null && !RevocationReasons.isWellFormed(reason)) {
                throw new IllegalArgumentException("a revocation reason must be one lowercase word: " + reason);
            }
            String text = reason == null ? id.toString() : id + ":" + reason;
            if (current.length() > 0 && current.length() + 1 + text.length() > MAX_PAYLOAD_BYTES) {
                payloads.add(current.toString());
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append(',');
            }
            current.append(text);
        }
        if (current.length() > 0) {
            payloads.add(current.toString());
        }
        return payloads;
    }

    /**
     * The ids and reasons of a payload; anything that is not a UUID (a stray NOTIFY on the channel)
     * is skipped, and so is a reason that is not one word.
     */
    public static CredentialsRevoked parse(String payload) {
        List<UUID> ids = new ArrayList<>();
        Map<UUID, String> reasons = new HashMap<>();
        if (payload == null || payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES + 100) {
            return new CredentialsRevoked(ids);
        }
        for (String part : payload.split(",")) {
            String entry = part.trim();
            int colon = entry.indexOf(':');
            String reason = colon < 0 ? null : entry.substring(colon + 1);
            try {
                UUID id = UUID.fromString(colon < 0 ? entry : entry.substring(0, colon));
                ids.add(id);
                if (RevocationReasons.isWellFormed(reason)) {
                    reasons.put(id, reason);
                }
            } catch (IllegalArgumentException notAnId) {
                // not ours
            }
        }
        return new CredentialsRevoked(ids, reasons);
    }
}
