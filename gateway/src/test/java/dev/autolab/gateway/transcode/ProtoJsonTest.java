package dev.autolab.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;

import dev.autolab.gateway.fake.TestGatewayConfig;
import dev.autolab.gateway.route.DescriptorLoader;
import dev.autolab.gateway.route.Route;
import dev.autolab.gateway.route.RouteTable;
import dev.autolab.gateway.upstream.Upstreams;

/** The fast printer prints exactly what JsonFormat prints, for every message type of proto/ and many values. */
class ProtoJsonTest {
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final List<String> STRINGS = List.of(
            "",
            "plain",
            "<a href='x'>&=</a>",
            "quote\" back\\ \n\t\r\b\f \u0000\u0001\u001f\u007f",
            "\u2028\u2029",
            "héllo wörld 😀 日本");

    private static List<Descriptor> allTypes() {
        List<Descriptor> types = new ArrayList<>();
        for (FileDescriptor file : DescriptorLoader.load()) {
            file.getMessageTypes().forEach(t -> collect(t, types));
        }
        return types;
    }

    private static void collect(Descriptor type, List<Descriptor> into) {
        into.add(type);
        type.getNestedTypes().forEach(t -> collect(t, into));
    }

    @Test
    void everyTypePrintsAsJsonFormatDoes() throws Exception {
        int compared = 0;
        for (Descriptor type : allTypes()) {
            ProtoJson plan = ProtoJson.forType(type);
            if (plan == null) {
                continue;
            }
            for (int seed = 0; seed < 300; seed++) {
                byte[] bytes = sample(type, new Random(seed), 0).toByteArray();
                assertSame(type, plan, bytes, "seed " + seed);
                compared++;
            }
            assertSame(type, plan, new byte[0], "empty");
        }
        assertTrue(compared > 10_000, compared + " messages compared");
    }

    @Test
    void mergedOccurrencesAndUnknownFieldsPrintAsJsonFormatDoes() throws Exception {
        for (Descriptor type : allTypes()) {
            ProtoJson plan = ProtoJson.forType(type);
            if (plan == null) {
                continue;
            }
            for (int seed = 0; seed < 50; seed++) {
                Random random = new Random(seed);
                // Two messages back to back are one merged message on the wire; field 999 is unknown.
                byte[] first = sample(type, random, 0).toByteArray();
                byte[] second = sample(type, random, 0).toBuilder()
                        .setUnknownFields(UnknownFieldSet.newBuilder()
                                .addField(
                                        999,
                                        UnknownFieldSet.Field.newBuilder()
                                                .addVarint(7)
                                                .build())
                                .build())
                        .build()
                        .toByteArray();
                byte[] both = new byte[first.length + second.length];
                System.arraycopy(first, 0, both, 0, first.length);
                System.arraycopy(second, 0, both, first.length, second.length);
                assertSame(type, plan, both, "merged, seed " + seed);
            }
        }
    }

    @Test
    void everyRoutesAnswerHasAPlanUnlessItHoldsAMap() {
        RouteTable routes = new RouteTable(DescriptorLoader.load(), new Upstreams(new TestGatewayConfig()));
        for (Route route : routes.routes()) {
            Descriptor output = route.method().getOutputType();
            if (!holdsMap(output, new ArrayList<>())) {
                assertNotNull(ProtoJson.forType(output), output.getFullName());
            }
        }
        assertNull(ProtoJson.forType(Struct.getDescriptor()), "Struct is left to JsonFormat");
    }

    @Test
    void bytesThatAreNoMessageAreRefused() {
        Descriptor whoami = allTypes().stream()
                .filter(t -> t.getFullName().equals("autolab.auth.v1.WhoAmIResponse"))
                .findFirst()
                .orElseThrow();
        ProtoJson plan = ProtoJson.forType(whoami);
        // Field 1 (user) says 255 bytes follow; none do.
        assertThrows(InvalidProtocolBufferException.class, () -> plan.print(new byte[] {(byte) 0x0a, (byte) 0xff}));
        // A Timestamp out of RFC 3339's range is refused as JsonFormat refuses it, not printed.
        byte[] badTime = outOfRangeCreatedAt();
        assertThrows(Exception.class, () -> JSON.print(DynamicMessage.parseFrom(whoami, badTime)));
        assertThrows(InvalidProtocolBufferException.class, () -> plan.print(badTime));
    }

    /** A WhoAmIResponse whose user was created in the year 10000. */
    private static byte[] outOfRangeCreatedAt() {
        return dev.autolab.proto.auth.v1.WhoAmIResponse.newBuilder()
                .setUser(dev.autolab.proto.auth.v1.User.newBuilder()
                        .setCreatedAt(Timestamp.newBuilder().setSeconds(253_402_300_800L)))
                .build()
                .toByteArray();
    }

    private static boolean holdsMap(Descriptor type, List<Descriptor> seen) {
        if (seen.contains(type)) {
            return false;
        }
        seen.add(type);
        for (FieldDescriptor f : type.getFields()) {
            if (f.isMapField()
                    || f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && holdsMap(f.getMessageType(), seen)) {
                return true;
            }
        }
        return false;
    }

    private static void assertSame(Descriptor type, ProtoJson plan, byte[] bytes, String what) throws Exception {
        String expected = JSON.print(DynamicMessage.parseFrom(type, bytes));
        assertEquals(expected, plan.print(bytes), type.getFullName() + " " + what);
    }

    private static DynamicMessage sample(Descriptor type, Random random, int depth) {
        DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
        for (FieldDescriptor f : type.getFields()) {
            if (random.nextInt(4) == 0 || f.isMapField()) {
                continue;
            }
            if (f.isRepeated()) {
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    Object v = value(f, random, depth);
                    if (v != null) {
                        message.addRepeatedField(f, v);
                    }
                }
            } else {
                Object v = value(f, random, depth);
                if (v != null) {
                    message.setField(f, v);
                }
            }
        }
        return message.build();
    }

    private static Object value(FieldDescriptor f, Random random, int depth) {
        return switch (f.getJavaType()) {
            case INT -> pick(random, 0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, random.nextInt());
            case LONG -> pick(random, 0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong());
            case FLOAT ->
                pick(random, 0f, -0f, 1.5f, 1e10f, 1e-7f, Float.NaN, Float.NEGATIVE_INFINITY, random.nextFloat());
            case DOUBLE ->
                pick(random, 0d, -0d, 1.5d, 1e100d, 3e-9d, Double.NaN, Double.POSITIVE_INFINITY, random.nextDouble());
            case BOOLEAN -> random.nextBoolean();
            case STRING -> random.nextInt(7) == 0 ? randomString(random) : STRINGS.get(random.nextInt(STRINGS.size()));
            case BYTE_STRING -> {
                byte[] b = new byte[random.nextInt(6)];
                random.nextBytes(b);
                yield ByteString.copyFrom(b);
            }
            case ENUM ->
                random.nextInt(5) == 0
                        ? f.getEnumType().findValueByNumberCreatingIfUnknown(40 + random.nextInt(3))
                        : f.getEnumType()
                                .getValues()
                                .get(random.nextInt(f.getEnumType().getValues().size()));
            case MESSAGE -> {
                if (f.getMessageType().getFullName().equals("google.protobuf.Timestamp")) {
                    yield Timestamp.newBuilder()
                            .setSeconds(pick(random, 0L, 1_800_000_000L, -62_135_596_800L, 253_402_300_799L))
                            .setNanos(pick(random, 0, 1, 1_000, 1_000_000, 999_999_999))
                            .build();
                }
                yield depth > 3 ? null : sample(f.getMessageType(), random, depth + 1);
            }
        };
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            int cp = random.nextInt(3) == 0 ? random.nextInt(0x80) : random.nextInt(0x3000);
            if (cp >= 0xd800 && cp < 0xe000) {
                cp = 'x';
            }
            s.appendCodePoint(cp);
        }
        return s.toString();
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }
}
