package dev.autolab.cli.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The CLI's JSON tree reads like databind's JsonNode and prints what databind printed. */
class JsonTest {
    private static final String REPLY = "{\"a\":{\"b\":[1,\"x\",true,null]},\"big\":12345678901234567890123,"
            + "\"quoted\":\"9007199254740993\",\"f\":1.50,\"s\":\"\\u001b\\n\\\"\"}";

    @Test
    void readsLikeJsonNode() throws IOException {
        Json json = Json.parse(REPLY);
        assertEquals("x", json.path("a").path("b").path(1).asText());
        assertTrue(json.path("nope").path("deeper").isMissingNode());
        assertEquals("", json.path("nope").asText());
        assertEquals("fallback", json.path("nope").asText("fallback"));
        assertEquals("fallback", json.path("a").path("b").path(3).asText("fallback"), "null takes the fallback");
        assertEquals(9007199254740993L, json.path("quoted").asLong(), "proto3 int64 is quoted");
        assertEquals(7, json.path("nope").asLong(7));
        assertTrue(json.path("a").path("b").path(2).asBoolean());
        assertEquals(4, json.path("a").path("b").size());
        assertEquals("\u001b\n\"", json.path("s").asText());
        assertFalse(json.has("nope"));
        assertEquals(null, json.get("nope"));
    }

    @Test
    void printsNumbersAsSentAndPrettyAsDatabindDid() throws IOException {
        Json json = Json.parse(REPLY);
        assertTrue(json.toString().contains("\"big\":12345678901234567890123"), json.toString());
        assertTrue(json.toString().contains("\"f\":1.50"), json.toString());
        ObjectMapper databind = new ObjectMapper();
        String simple = "{\"tokens\":[{\"id\":\"x\",\"n\":1,\"ok\":true,\"none\":null,\"list\":[1,2]}],\"e\":{}}";
        assertEquals(
                databind.writerWithDefaultPrettyPrinter().writeValueAsString(databind.readTree(simple)),
                Json.parse(simple).pretty(null));
        assertEquals(databind.readTree(REPLY), databind.readTree(json.toString()), "same meaning");
    }

    @Test
    void buildsBodies() {
        Json body = Json.object().put("name", "ci").put("expiresInDays", 30).put("force", true);
        body.putArray("labels").add("zone=eu");
        assertEquals("{\"name\":\"ci\",\"expiresInDays\":30,\"force\":true,\"labels\":[\"zone=eu\"]}", body.toString());
    }

    @Test
    void refusesWhatIsNotOneDocument() {
        assertThrows(IOException.class, () -> Json.parse("{\"a\":1} {}"));
        assertThrows(IOException.class, () -> Json.parse(""));
        assertThrows(IOException.class, () -> Json.parse("{\"a\":"));
        assertTrue(Json.parseOrEmpty("<html>502</html>").isEmpty(), "an unreadable reply has no fields");
    }
}
