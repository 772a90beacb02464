package dev.autolab.cli.json;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

/**
 * A JSON value read and written with jackson-core's streaming parser and generator alone. The CLI
 * used jackson-databind's tree for this; databind is about 400 classes to load for each command,
 * which a person waits for at every {@code autolab whoami}. The reading methods behave like
 * databind's {@code JsonNode} ({@code path} never returns null, {@code asText} of a missing value is
 * empty, {@code asLong} reads proto3 JSON's quoted int64), so the commands read as they did.
 * Numbers keep the text they came with, so {@code --json} prints exactly what the server sent.
 */
public final class Json implements Iterable<Json> {
    private enum Kind {
        MISSING,
        NULL,
        OBJECT,
        ARRAY,
        STRING,
        NUMBER,
        BOOLEAN
    }

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Json MISSING = new Json(Kind.MISSING, null);
    private static final Json NULL = new Json(Kind.NULL, null);

    private final Kind kind;
    /** A {@code Map<String, Json>}, a {@code List<Json>}, the string, the number's text, or a Boolean. */
    private final Object value;

    private Json(Kind kind, Object value) {
        this.kind = kind;
        this.value = value;
    }

    public static Json object() {
        return new Json(Kind.OBJECT, new LinkedHashMap<String, Json>());
    }

    public static Json array() {
        return new Json(Kind.ARRAY, new ArrayList<Json>());
    }

    public static Json of(String text) {
        return text == null ? NULL : new Json(Kind.STRING, text);
    }

    public static Json of(long number) {
        return new Json(Kind.NUMBER, Long.toString(number));
    }

    public static Json of(boolean b) {
        return new Json(Kind.BOOLEAN, b);
    }

    public static Json missing() {
        return MISSING;
    }

    /** Parses a whole document; anything after the first value is an error. */
    public static Json parse(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new IOException("empty document");
            }
            Json json = read(parser);
            if (parser.nextToken() != null) {
                throw new IOException("more than one value");
            }
            return json;
        }
    }

    /** Parses a reply body; an empty or unreadable body is an empty object, as a reply without fields. */
    public static Json parseOrEmpty(String text) {
        if (text == null || text.isBlank()) {
            return object();
        }
        try {
            return parse(text);
        } catch (IOException | RuntimeException e) {
            return object();
        }
    }

    private static Json read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Json object = object();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.fieldMap().put(name, read(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                Json array = array();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.items().add(read(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return new Json(Kind.STRING, parser.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Json(Kind.NUMBER, parser.getText());
            }
            case VALUE_TRUE -> {
                return of(true);
            }
            case VALUE_FALSE -> {
                return of(false);
            }
            case VALUE_NULL -> {
                return NULL;
            }
            default -> throw new IOException("unexpected " + token);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Json> fieldMap() {
        return (Map<String, Json>) value;
    }

    @SuppressWarnings("unchecked")
    private List<Json> items() {
        return (List<Json>) value;
    }

    // ---- reading, as databind's JsonNode ----

    /** The field, or a missing value (never null). */
    public Json path(String field) {
        Json found = kind == Kind.OBJECT ? fieldMap().get(field) : null;
        return found == null ? MISSING : found;
    }

    public Json path(int index) {
        return kind == Kind.ARRAY && index >= 0 && index < items().size() ? items().get(index) : MISSING;
    }

    /** The field, or null when absent. */
    public Json get(String field) {
        return kind == Kind.OBJECT ? fieldMap().get(field) : null;
    }

    public boolean has(String field) {
        return kind == Kind.OBJECT && fieldMap().containsKey(field);
    }

    public boolean isMissingNode() {
        return kind == Kind.MISSING;
    }

    public boolean isNull() {
        return kind == Kind.NULL;
    }

    public boolean isTextual() {
        return kind == Kind.STRING;
    }

    public boolean isNumber() {
        return kind == Kind.NUMBER;
    }

    public boolean isArray() {
        return kind == Kind.ARRAY;
    }

    public boolean isObject() {
        return kind == Kind.OBJECT;
    }

    /** Elements of an array, values of an object, else 0. */
    public int size() {
        return switch (kind) {
            case ARRAY -> items().size();
            case OBJECT -> fieldMap().size();
            default -> 0;
        };
    }

    /** No elements or fields (true for anything that is neither an array nor an object). */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** A string's text, a number's or boolean's as written; empty for anything else. */
    public String asText() {
        return switch (kind) {
            case STRING, NUMBER -> (String) value;
            case BOOLEAN -> value.toString();
            case NULL -> "null";
            default -> "";
        };
    }

    /** As {@link #asText()}, with {@code fallback} for a missing or null value. */
    public String asText(String fallback) {
        return kind == Kind.MISSING || kind == Kind.NULL ? fallback : asText();
    }

    public long asLong() {
        return asLong(0);
    }

    /** A number, or a string holding one (proto3 JSON quotes int64); {@code fallback} otherwise. */
    public long asLong(long fallback) {
        if (kind == Kind.BOOLEAN) {
            return (Boolean) value ? 1 : 0;
        }
        if (kind != Kind.NUMBER && kind != Kind.STRING) {
            return fallback;
        }
        String text = ((String) value).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            try {
                return new BigDecimal(text).longValue();
            } catch (NumberFormatException notANumber) {
                return fallback;
            }
        }
    }

    public int asInt() {
        return (int) asLong(0);
    }

    public int asInt(int fallback) {
        return (int) asLong(fallback);
    }

    public boolean asBoolean() {
        return asBoolean(false);
    }

    /** A boolean, "true"/"false", a number (non-zero); {@code fallback} otherwise. */
    public boolean asBoolean(boolean fallback) {
        return switch (kind) {
            case BOOLEAN -> (Boolean) value;
            case STRING ->
                switch (((String) value).trim()) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> fallback;
                };
            case NUMBER -> asLong() != 0;
            default -> fallback;
        };
    }

    /** An array's elements or an object's values; nothing for anything else. */
    @Override
    public Iterator<Json> iterator() {
        return switch (kind) {
            case ARRAY -> Collections.unmodifiableList(items()).iterator();
            case OBJECT ->
                Collections.unmodifiableCollection(fieldMap().values()).iterator();
            default -> Collections.emptyIterator();
        };
    }

    /** An object's fields in order; nothing for anything else. */
    public Iterator<Map.Entry<String, Json>> fields() {
        return kind == Kind.OBJECT
                ? Collections.unmodifiableMap(fieldMap()).entrySet().iterator()
                : Collections.emptyIterator();
    }

    // ---- building ----

    public Json put(String field, Json v) {
        requireObject().put(field, v == null ? NULL : v);
        return this;
    }

    public Json put(String field, String v) {
        return put(field, of(v));
    }

    public Json put(String field, long v) {
        return put(field, of(v));
    }

    public Json put(String field, boolean v) {
        return put(field, of(v));
    }

    public Json putArray(String field) {
        Json array = array();
        put(field, array);
        return array;
    }

    public Json putObject(String field) {
        Json object = object();
        put(field, object);
        return object;
    }

    public Json remove(String field) {
        return requireObject().remove(field);
    }

    public Json add(Json v) {
        if (kind != Kind.ARRAY) {
            throw new IllegalStateException("not an array");
        }
        items().add(v == null ? NULL : v);
        return this;
    }

    public Json add(String v) {
        return add(of(v));
    }

    private Map<String, Json> requireObject() {
        if (kind != Kind.OBJECT) {
            throw new IllegalStateException("not an object");
        }
        return fieldMap();
    }

    // ---- writing ----

    /** Compact JSON (what goes on the wire). */
    @Override
    public String toString() {
        return write(false, null);
    }

    /**
     * Indented as databind's default pretty printer does, with {@code escapes} for characters a
     * terminal must not see raw (null: JSON's standard escapes only).
     */
    public String pretty(CharacterEscapes escapes) {
        return write(true, escapes);
    }

    private String write(boolean pretty, CharacterEscapes escapes) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            if (pretty) {
                generator.setPrettyPrinter(new DefaultPrettyPrinter());
            }
            if (escapes != null) {
                generator.setCharacterEscapes(escapes);
            }
            write(generator);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        return out.toString();
    }

    private void write(JsonGenerator generator) throws IOException {
        switch (kind) {
            case OBJECT -> {
                generator.writeStartObject();
                for (Map.Entry<String, Json> field : fieldMap().entrySet()) {
                    if (!field.getValue().isMissingNode()) {
                        generator.writeFieldName(field.getKey());
                        field.getValue().write(generator);
                    }
                }
                generator.writeEndObject();
            }
            case ARRAY -> {
                generator.writeStartArray();
                for (Json item : items()) {
                    item.write(generator);
                }
                generator.writeEndArray();
            }
            case STRING -> generator.writeString((String) value);
            case NUMBER -> generator.writeNumber((String) value);
            case BOOLEAN -> generator.writeBoolean((Boolean) value);
            case NULL, MISSING -> generator.writeNull();
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Json json && kind == json.kind && java.util.Objects.equals(value, json.value);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + (value == null ? 0 : value.hashCode());
    }
}
