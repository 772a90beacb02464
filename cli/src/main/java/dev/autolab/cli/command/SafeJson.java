package dev.autolab.cli.command;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

import dev.autolab.cli.json.Json;

/**
 * {@code --json} output that is safe on a terminal: Jackson already escapes C0 characters; this
 * also escapes DEL, C1 and the bidirectional and line-separator controls (backslash, u, four hex digits).
 * The JSON means exactly the same to a program reading it.
 */
final class SafeJson extends CharacterEscapes {
    private static final SafeJson ESCAPES = new SafeJson();
    private final int[] ascii;

    private SafeJson() {
        ascii = CharacterEscapes.standardAsciiEscapesForJSON();
        ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
    }

    static String pretty(Json node) {
        return node.pretty(ESCAPES);
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return Sanitize.isControl(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
}
