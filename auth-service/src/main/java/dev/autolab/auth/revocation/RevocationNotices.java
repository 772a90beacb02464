package dev.autolab.auth.revocation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The PostgreSQL notification replicas tell each other revocations with: channel
 * {@value #CHANNEL}, payload the revoked ids joined by commas. A payload must stay under 8000
 * bytes, so long lists go out as several notifications.
 */
public final class RevocationNotices {
    public static final String CHANNEL = "autolab_revocations";
    /** An empty notice: proves the channel still delivers (see {@code RevocationListener.tick}). */
    static final String PING = "SELECT pg_notify('" + CHANNEL + "', '')";
    /** PostgreSQL refuses payloads of 8000 bytes or more; keep a margin. */
    static final int MAX_PAYLOAD_BYTES = 7900;

    private RevocationNotices() {}

    /** The payloads announcing {@code ids}, each under the limit, together naming every id once. */
    public static List<String> payloads(List<UUID> ids) {
        List<String> payloads = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (UUID id : ids) {
            String text = id.toString();
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

    /** The ids of a payload; anything that is not a UUID (a stray NOTIFY on the channel) is skipped. */
    public static List<UUID> parse(String payload) {
        List<UUID> ids = new ArrayList<>();
        if (payload == null || payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES + 100) {
            return ids;
        }
        for (String part : payload.split(",")) {
            try {
                ids.add(UUID.fromString(part.trim()));
            } catch (IllegalArgumentException notAnId) {
                // not ours
            }
        }
        return ids;
    }
}
