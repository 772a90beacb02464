package dev.autolab.gateway.transcode;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.Timestamps;

/**
 * Wire bytes straight to compact proto3 JSON, byte for byte what {@code JsonFormat.printer()
 * .omittingInsignificantWhitespace()} prints for the same message (ProtoJsonTest compares the two on every
 * message type of proto/), without building a {@code DynamicMessage} and walking it by reflection: the
 * plan of each type (its fields by number, their JSON names already quoted) is made once, at start.
 * Types it does not cover (maps, well-known types other than Timestamp and Empty, proto2) get no plan:
 * {@link #forType} answers null and the caller keeps JsonFormat.
 */
public final class ProtoJson {
    private static final String TIMESTAMP = "google.protobuf.Timestamp";

    private final Descriptor type;
    /** Fields in field-number order, as JsonFormat prints them. */
    private final FieldDescriptor[] fields;
    /** {@code "jsonName":} for each field. */
    private final String[] keys;

    /** Field number to slot, -1 for numbers the type does not have (numbers are small: an array). */
    private final int[] slotByNumber;
    /** Plans of message-typed fields (null for others and for Timestamp). */
    private final ProtoJson[] nested;

    private ProtoJson(Descriptor type, Map<Descriptor, ProtoJson> plans) {
        this.type = type;
        plans.put(type, this);
        List<FieldDescriptor> sorted = new ArrayList<>(type.getFields());
        sorted.sort((a, b) -> Integer.compare(a.getNumber(), b.getNumber()));
        this.fields = sorted.toArray(FieldDescriptor[]::new);
        this.keys = new String[fields.length];
        this.nested = new ProtoJson[fields.length];
        int highest = fields.length == 0 ? 0 : fields[fields.length - 1].getNumber();
        this.slotByNumber = new int[highest + 1];
        java.util.Arrays.fill(slotByNumber, -1);
        for (int i = 0; i < fields.length; i++) {
            keys[i] = quote(fields[i].getJsonName()) + ":";
            slotByNumber[fields[i].getNumber()] = i;
        }
    }

    /** The plan for a type, or null when a field of it (at any depth) needs JsonFormat. */
    public static ProtoJson forType(Descriptor type) {
        Map<Descriptor, ProtoJson> plans = new HashMap<>();
        return supported(type, new java.util.HashSet<>()) ? build(type, plans) : null;
    }

    private static ProtoJson build(Descriptor type, Map<Descriptor, ProtoJson> plans) {
        ProtoJson known = plans.get(type);
        if (known != null) {
            return known;
        }
        ProtoJson plan = new ProtoJson(type, plans);
        for (int i = 0; i < plan.fields.length; i++) {
            FieldDescriptor f = plan.fields[i];
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && !f.getMessageType().getFullName().equals(TIMESTAMP)) {
                plan.nested[i] = build(f.getMessageType(), plans);
            }
        }
        return plan;
    }

    private static boolean supported(Descriptor type, java.util.Set<Descriptor> seen) {
        if (!seen.add(type)) {
            return true;
        }
        for (FieldDescriptor f : type.getFields()) {
            if (f.getNumber() > 10_000) {
                return false; // the number-to-slot table is an array
            }
        }
        if (type.getOptions().getMapEntry()) {
            return false; // a map's entry type: JsonFormat prints maps (and their entries) its own way
        }
        String name = type.getFullName();
        if (name.startsWith("google.protobuf.")) {
            if (name.equals(TIMESTAMP)) {
                return true;
            }
            if (!type.getFile().getName().equals(EmptyProto.getDescriptor().getName())) {
                return false;
            }
        } else if (!type.getFile().toProto().getSyntax().equals("proto3")) {
            return false;
        }
        for (FieldDescriptor f : type.getFields()) {
            if (f.isMapField() || f.getType() == FieldDescriptor.Type.GROUP) {
                return false;
            }
            if (f.getJavaType() == FieldDescriptor.JavaType.ENUM
                    && f.getEnumType().getFullName().equals("google.protobuf.NullValue")) {
                return false;
            }
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !supported(f.getMessageType(), seen)) {
                return false;
            }
        }
        return true;
    }

    public Descriptor type() {
        return type;
    }

    /** The message in {@code bytes} as compact proto3 JSON. */
    public String print(byte[] bytes) throws InvalidProtocolBufferException {
        StringBuilder out = new StringBuilder(64 + bytes.length * 2);
        try {
            print(CodedInputStream.newInstance(bytes), out);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidProtocolBufferException(e.getMessage());
        }
        return out.toString();
    }

    private void print(CodedInputStream in, StringBuilder out) throws IOException {
        Object[] values = read(in);
        out.append('{');
        boolean first = true;
        for (int i = 0; i < fields.length; i++) {
            Object value = values[i];
            if (value == null) {
                continue;
            }
            FieldDescriptor f = fields[i];
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(keys[i]);
            if (f.isRepeated()) {
                out.append('[');
                List<?> list = (List<?>) value;
                for (int j = 0; j < list.size(); j++) {
                    if (j > 0) {
                        out.append(',');
                    }
                    value(i, list.get(j), out);
                }
                out.append(']');
            } else {
                value(i, value, out);
            }
        }
        out.append('}');
    }

    /** Each field's value (a list for repeated ones), null when JsonFormat would leave it out. */
    private Object[] read(CodedInputStream in) throws IOException {
        Object[] values = new Object[fields.length];
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int number = WireFormat.getTagFieldNumber(tag);
            int slot = number < slotByNumber.length ? slotByNumber[number] : -1;
            if (slot < 0) {
                in.skipField(tag);
                continue;
            }
            FieldDescriptor f = fields[slot];
            int wireType = WireFormat.getTagWireType(tag);
            if (f.isRepeated()) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) values[slot];
                if (list == null) {
                    list = new ArrayList<>();
                    values[slot] = list;
                }
                if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED && f.isPackable()) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    while (in.getBytesUntilLimit() > 0) {
                        list.add(scalar(f, in));
                    }
                    in.popLimit(limit);
                } else {
                    list.add(single(f, in, null));
                }
                continue;
            }
            var oneof = f.getRealContainingOneof();
            if (oneof != null) {
                // Setting one member of a oneof clears the others, as the message builder does.
                // The same member again merges with itself (a message) or replaces itself (a scalar).
                for (FieldDescriptor member : oneof.getFields()) {
                    if (member != f) {
                        values[slotByNumber[member.getNumber()]] = null;
                    }
                }
            }
            values[slot] = single(f, in, values[slot]);
        }
        for (int i = 0; i < fields.length; i++) {
            FieldDescriptor f = fields[i];
            Object v = values[i];
            if (v == null) {
                continue;
            }
            if (f.isRepeated() ? ((List<?>) v).isEmpty() : !f.hasPresence() && isDefault(f, v)) {
                values[i] = null;
            }
        }
        return values;
    }

    /** A non-repeated value; message fields keep their bytes, later occurrences merging (appending) as protobuf does. */
    private static Object single(FieldDescriptor f, CodedInputStream in, Object previous) throws IOException {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            ByteString bytes = in.readBytes();
            return previous == null ? bytes : ((ByteString) previous).concat(bytes);
        }
        return scalar(f, in);
    }

    private static Object scalar(FieldDescriptor f, CodedInputStream in) throws IOException {
        return switch (f.getType()) {
            case INT32 -> in.readInt32();
            case SINT32 -> in.readSInt32();
            case SFIXED32 -> in.readSFixed32();
            case UINT32 -> in.readUInt32();
            case FIXED32 -> in.readFixed32();
            case INT64 -> in.readInt64();
            case SINT64 -> in.readSInt64();
            case SFIXED64 -> in.readSFixed64();
            case UINT64 -> in.readUInt64();
            case FIXED64 -> in.readFixed64();
            case BOOL -> in.readBool();
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case STRING -> in.readStringRequireUtf8();
            case BYTES -> in.readBytes();
            case ENUM -> in.readEnum();
            case MESSAGE -> in.readBytes();
            case GROUP -> throw new InvalidProtocolBufferException("groups are not supported");
        };
    }

    private static boolean isDefault(FieldDescriptor f, Object v) {
        return switch (f.getJavaType()) {
            case INT, ENUM -> (Integer) v == 0;
            case LONG -> (Long) v == 0L;
            // -0.0 is not the default: the builder keeps it (it compares bits), and so does JsonFormat.
            case FLOAT -> Float.floatToRawIntBits((Float) v) == 0;
            case DOUBLE -> Double.doubleToRawLongBits((Double) v) == 0L;
            case BOOLEAN -> !(Boolean) v;
            case STRING -> ((String) v).isEmpty();
            case BYTE_STRING -> ((ByteString) v).isEmpty();
            case MESSAGE -> false;
        };
    }

    private void value(int slot, Object v, StringBuilder out) throws IOException {
        FieldDescriptor f = fields[slot];
        switch (f.getType()) {
            case INT32, SINT32, SFIXED32 -> out.append((int) (Integer) v);
            case UINT32, FIXED32 -> out.append(Integer.toUnsignedString((Integer) v));
            case INT64, SINT64, SFIXED64 ->
                out.append('"').append((long) (Long) v).append('"');
            case UINT64, FIXED64 ->
                out.append('"').append(Long.toUnsignedString((Long) v)).append('"');
            case BOOL -> out.append((boolean) (Boolean) v);
            case FLOAT -> floating((Float) v, out);
            case DOUBLE -> floating((Double) v, out);
            case STRING -> escape((String) v, out);
            case BYTES ->
                out.append('"')
                        .append(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()))
                        .append('"');
            case ENUM -> {
                EnumValueDescriptor e = f.getEnumType().findValueByNumber((Integer) v);
                if (e == null) {
                    out.append((int) (Integer) v);
                } else {
                    out.append('"').append(e.getName()).append('"');
                }
            }
            case MESSAGE -> {
                ByteString bytes = (ByteString) v;
                if (nested[slot] == null) {
                    timestamp(Timestamp.parseFrom(bytes), out);
                } else {
                    nested[slot].print(bytes.newCodedInput(), out);
                }
            }
            case GROUP -> throw new InvalidProtocolBufferException("groups are not supported");
        }
    }

    /**
     * A Timestamp as RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits, as {@code Timestamps.toString} writes
     * it (and refuses the same out-of-range values), without its per-call SimpleDateFormat.
     */
    static void timestamp(Timestamp t, StringBuilder out) {
        if (!Timestamps.isValid(t)) {
            throw new IllegalArgumentException(
                    "Timestamp is not valid: " + t.getSeconds() + "s " + t.getNanos() + "ns");
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(t.getSeconds(), 0, ZoneOffset.UTC);
        out.append('"');
        pad(out, time.getYear(), 4).append('-');
        pad(out, time.getMonthValue(), 2).append('-');
        pad(out, time.getDayOfMonth(), 2).append('T');
        pad(out, time.getHour(), 2).append(':');
        pad(out, time.getMinute(), 2).append(':');
        pad(out, time.getSecond(), 2);
        int nanos = t.getNanos();
        if (nanos != 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(out, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                pad(out, nanos / 1_000, 6);
            } else {
                pad(out, nanos, 9);
            }
        }
        out.append("Z\"");
    }

    private static StringBuilder pad(StringBuilder out, int value, int digits) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < digits; i++) {
            out.append('0');
        }
        return out.append(s);
    }

    private static void floating(Object v, StringBuilder out) {
        String s = v.toString();
        if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) {
            out.append('"').append(s).append('"');
        } else {
            out.append(s);
        }
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder();
        escape(s, out);
        return out.toString();
    }

    /** A JSON string as Gson (which JsonFormat uses) writes it: HTML-safe, control characters escaped. */
    static void escape(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case '<', '>', '&', '=', '\'', '\u2028', '\u2029' -> unicode(c, out);
                default -> {
                    if (c < 0x20) {
                        unicode(c, out);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicode(char c, StringBuilder out) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        for (int i = hex.length(); i < 4; i++) {
            out.append('0');
        }
        out.append(hex);
    }
}
