package dev.autolab.auth.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class RevocationNoticesTest {

    @Test
    void longListsAreSplitUnderPostgresPayloadLimit() {
        List<UUID> ids =
                IntStream.range(0, 1000).mapToObj(i -> UUID.randomUUID()).toList();
        List<String> payloads = RevocationNotices.payloads(ids);
        assertTrue(payloads.size() > 1, "1000 ids do not fit one notification");
        List<UUID> back = new ArrayList<>();
        for (String p : payloads) {
            assertTrue(p.getBytes(StandardCharsets.UTF_8).length < 8000, "payload of " + p.length() + " bytes");
            back.addAll(RevocationNotices.parse(p));
        }
        assertEquals(ids, back, "every id once, in order");
    }

    @Test
    void fewIdsMakeOnePayloadAndNoneMakeNone() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        assertEquals(List.of(a + "," + b), RevocationNotices.payloads(List.of(a, b)));
        assertEquals(List.of(), RevocationNotices.payloads(List.of()));
    }

    @Test
    void strayPayloadsOnTheChannelAreIgnored() {
        UUID a = UUID.randomUUID();
        assertEquals(List.of(), RevocationNotices.parse("hello"));
        assertEquals(List.of(), RevocationNotices.parse(""));
        assertEquals(List.of(a), RevocationNotices.parse("x," + a + ",'; drop table users"));
    }
}
