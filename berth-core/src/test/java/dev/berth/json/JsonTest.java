package dev.berth.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse("{\"a\": [1, -2.5, true, false, null, \"x\\n\\u0041\"], \"b\": {}}", "t");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1L, -2.5, true, false), ((List<?>) m.get("a")).subList(0, 4));
        assertEquals(null, ((List<?>) m.get("a")).get(4));
        assertEquals("x\nA", ((List<?>) m.get("a")).get(5));
        assertEquals(Map.of(), m.get("b"));
    }

    @Test
    void bigIntegersStayExact() {
        assertEquals(4294967295L, Json.parse("4294967295", "t"));
        assertEquals(-9223372036854775808L, Json.parse("-9223372036854775808", "t"));
    }

    @Test
    void errorsSayWhere() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}", "config.json"));
        assertEquals("config.json:3:7: expected ':'", e.getMessage());
        e = assertThrows(JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}", "c"));
        assertTrue(e.getMessage().contains("duplicate property \"a\""), e.getMessage());
        assertThrows(JsonException.class, () -> Json.parse("[1,]", "c"));
        assertThrows(JsonException.class, () -> Json.parse("{} x", "c"));
        assertThrows(JsonException.class, () -> Json.parse("\"abc", "c"));
    }

    @Test
    void writesCompactAndPretty() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", "c\"1");
        m.put("pid", 42L);
        m.put("list", List.of("a"));
        m.put("empty", List.of());
        assertEquals("{\"id\":\"c\\\"1\",\"pid\":42,\"list\":[\"a\"],\"empty\":[]}", Json.write(m, false));
        assertEquals("{\n  \"id\": \"c\\\"1\",\n  \"pid\": 42,\n  \"list\": [\n    \"a\"\n  ],\n  \"empty\": []\n}",
                Json.write(m, true));
        assertEquals(m, Json.parse(Json.write(m, true), "t"));
    }
}
