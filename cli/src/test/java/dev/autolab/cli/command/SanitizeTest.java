package dev.autolab.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SanitizeTest {
    @Test
    void escapesWhatATerminalWouldActOn() {
        assertEquals("\\x1b[2Jgone", Sanitize.line("\u001b[2Jgone"));
        assertEquals("over\\x0dwritten", Sanitize.line("over\rwritten"));
        assertEquals("bell\\x07 del\\x7f csi\\x9b nul\\x00", Sanitize.line("bell\u0007 del\u007f csi\u009b nul\u0000"));
        assertEquals("abc\\u202efdp.exe", Sanitize.line("abc\u202efdp.exe"));
        assertEquals("a\\u2028b\\u2066c", Sanitize.line("a\u2028b\u2066c"));
    }

    @Test
    void aLineHasNoLineBreaksButTextKeepsThem() {
        assertEquals("one\\x0atwo\\x09three", Sanitize.line("one\ntwo\tthree"));
        assertEquals("one\ntwo\tthree\\x0d", Sanitize.text("one\ntwo\tthree\r"));
        assertEquals("\\x1b]0;title\\x07\n", Sanitize.text("\u001b]0;title\u0007\n"));
    }

    @Test
    void leavesOrdinaryTextAloneIncludingUnicode() {
        String plain = "alice/nanochat ci@box.lab Zoë 日本語 🚀 ~!#$%^&*()";
        assertSame(plain, Sanitize.line(plain));
        assertEquals("", Sanitize.line(null));
    }
}
