package dev.autolab.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void controlCharactersBecomeVisibleEscapes() {
        assertEquals("ci\\x0d\\x0a\\x1b[2J", Text.escapeControls("ci\r\n\u001b[2J"));
        assertEquals("a\\x00b\\x7f\\x85\\u2028", Text.escapeControls("a\0b\u007f\u0085\u2028"));
        assertEquals("plain ünïcode ✓", Text.escapeControls("plain ünïcode ✓"));
    }

    @Test
    void echoCutsLongInputAtACodePoint() {
        assertEquals("x".repeat(40) + "…", Text.echo("x".repeat(100_000)));
        String emoji = "😀".repeat(50);
        assertEquals("😀".repeat(40) + "…", Text.echo(emoji));
        assertEquals("", Text.echo(null));
    }

    @Test
    void hasControlSeesC0DelAndC1ButNotPrintableText() {
        assertTrue(Text.hasControl("tab\there"));
        assertTrue(Text.hasControl("\u009b31m"));
        assertFalse(Text.hasControl("Ada Lovelace (she/her) — ⚙"));
    }

    @Test
    void echoPrintableAlsoEscapesInvisibleFormattingAndKeepsTheCut() {
        assertEquals("gpu\\u202e1-evil \\x1b東京", Text.echoPrintable("gpu\u202e1-evil \u001b東京"));
        assertEquals("\\u200b" + "x".repeat(39) + "…", Text.echoPrintable("\u200b" + "x".repeat(100)));
        assertEquals("", Text.echoPrintable(null));
    }

    @Test
    void isPrintableTakesVisibleTextAndThePlainSpaceOnly() {
        assertTrue("gpu-1 Ünïcode 東京 ⚙".codePoints().allMatch(Text::isPrintable));
        for (int refused : new int[] {'\t', '\n', 0x1b, 0x7f, 0x9b, 0x00a0, 0x200b, 0x202e, 0x2028, 0xe000, 0x0378}) {
            assertFalse(Text.isPrintable(refused), Integer.toHexString(refused));
        }
    }
}
