package dev.autolab.auth.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The bootstrap users file's format, and that a bad line is named by number and never shown. */
class BootstrapFileTest {

    @Test
    void readsUsersSkippingBlankLinesAndComments() {
        List<BootstrapFile.Entry> entries = BootstrapFile.parse(List.of(
                "# the first administrators",
                "",
                "   ",
                "alice:correct horse battery",
                "  # indented comment",
                "bob-2:pass:with:colons\r"));
        assertEquals(2, entries.size());
        assertEquals(new BootstrapFile.Entry(4, "alice", "correct horse battery"), entries.get(0));
        // Everything after the first colon is the password; a Windows line end is not part of it.
        assertEquals(new BootstrapFile.Entry(6, "bob-2", "pass:with:colons"), entries.get(1));
        assertFalse(entries.get(0).toString().contains("horse"), entries.get(0).toString());
    }

    @Test
    void anEmptyFileHasNoUsers() {
        assertEquals(List.of(), BootstrapFile.parse(List.of()));
        assertEquals(List.of(), BootstrapFile.parse(List.of("# nobody yet")));
    }

    /** Each bad line fails with its number and the rule, and the message holds nothing of the line. */
    @Test
    void aBadLineIsNamedByNumberWithoutItsContent() {
        String secret = "s3cret-Value-XYZ";
        assertRefused(List.of("# ok", secret), "line 2: expected handle:password", secret);
        assertRefused(List.of("Alice:" + secret), "line 1: the handle is not valid", secret);
        assertRefused(List.of(secret + "x:" + secret), "line 1: the handle is not valid", secret);
        assertRefused(List.of(":" + secret), "line 1: the handle is not valid", secret);
        assertRefused(
                List.of("", "", "carol:short9chr"),
                "line 3: the password must have at least 10 characters",
                "short9chr");
        assertRefused(
                List.of("dave:" + "p".repeat(257)), "line 1: the password must have at most 256 characters", "ppppp");
        assertRefused(
                List.of("erin:" + secret, "erin:other " + secret),
                "line 2: the handle \"erin\" is already given on line 1",
                secret);
    }

    private static void assertRefused(List<String> lines, String expected, String secret) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BootstrapFile.parse(lines));
        assertEquals(true, e.getMessage().startsWith(expected), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }
}
