package dev.autolab.auth.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            back.addAll(RevocationNotices.parse(p).ids());
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
        assertEquals(List.of(), RevocationNotices.parse("hello").ids());
        assertEquals(List.of(), RevocationNotices.parse("").ids());
        assertEquals(
                List.of(a),
                RevocationNotices.parse("x," + a + ",'; drop table users").ids());
        // A reason that is not one word is dropped, its id kept.
        CredentialsRevoked odd = RevocationNotices.parse(a + ":Role Lost!");
        assertEquals(List.of(a), odd.ids());
        assertEquals(Map.of(), odd.reasons());
    }

    @Test
    void reasonsTravelWithTheirIds() {
        UUID pat = UUID.randomUUID();
        UUID node = UUID.randomUUID();
        CredentialsRevoked revoked = new CredentialsRevoked(List.of(pat, node), Map.of(node, "token_revoked"));
        List<String> payloads = RevocationNotices.payloads(revoked);
        assertEquals(List.of(pat + "," + node + ":token_revoked"), payloads);
        assertEquals(revoked, RevocationNotices.parse(payloads.get(0)));
    }

    @Test
    void longListsWithReasonsAreSplitUnderTheLimitWithoutSplittingAnEntry() {
        List<UUID> ids =
                IntStream.range(0, 1000).mapToObj(i -> UUID.randomUUID()).toList();
        Map<UUID, String> reasons = new HashMap<>();
        ids.forEach(id -> reasons.put(id, "node_reregistered"));
        List<String> payloads = RevocationNotices.payloads(new CredentialsRevoked(ids, reasons));
        assertTrue(payloads.size() > 1);
        List<UUID> back = new ArrayList<>();
        Map<UUID, String> backReasons = new HashMap<>();
        for (String p : payloads) {
            assertTrue(p.getBytes(StandardCharsets.UTF_8).length < 8000, "payload of " + p.length() + " bytes");
            CredentialsRevoked parsed = RevocationNotices.parse(p);
            back.addAll(parsed.ids());
            backReasons.putAll(parsed.reasons());
        }
        assertEquals(ids, back);
        assertEquals(reasons, backReasons, "every reason arrives with its id");
    }

    @Test
    void aReasonThatIsNotOneWordIsABugNotAPayload() {
        UUID a = UUID.randomUUID();
        assertThrows(
                IllegalArgumentException.class,
                () -> RevocationNotices.payloads(new CredentialsRevoked(List.of(a), Map.of(a, "x,y"))));
    }
}
