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
}
