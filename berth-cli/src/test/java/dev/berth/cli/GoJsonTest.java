package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoJsonTest {
    @Test
    void stringsAreEscapedAsGoDoes() {
        assertEquals("\"v\\u003c\\u0026\\u003e\"", GoJson.compact("v<&>"));
        assertEquals("\"a\\\"b\\\\c\"", GoJson.compact("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\\u0001\\u001f\"", GoJson.compact("\n\r\t\b\f\u0001\u001f"));
        assertEquals("\"\\u2028\\u2029\"", GoJson.compact("\u2028\u2029"));
        assertEquals("\"caf\u00e9 \ud83d\ude00 \u007f\"", GoJson.compact("caf\u00e9 \ud83d\ude00 \u007f"));
        assertEquals("\"\\ufffd\"", GoJson.compact("\ud800"));
    }

    @Test
    void indentedLikeMarshalIndent() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1);
        m.put("list", List.of("x", 2L, true));
        m.put("empty", Map.of());
        m.put("none", List.of());
        m.put("nil", null);
        assertEquals("{\n\t\"a\": 1,\n\t\"list\": [\n\t\t\"x\",\n\t\t2,\n\t\ttrue\n\t],\n\t\"empty\": {},\n\t\"none\": [],\n"
                + "\t\"nil\": null\n}", GoJson.indent(m, "\t"));
        assertEquals("{\"a\":1,\"list\":[\"x\",2,true],\"empty\":{},\"none\":[],\"nil\":null}", GoJson.compact(m));
    }

    @Test
    void floatsAsGoFormatsThem() {
        assertEquals("1.5", GoJson.compact(1.5));
        assertEquals("100", GoJson.compact(100.0));
        assertEquals("0.000001", GoJson.compact(0.000001));
        assertEquals("1e-7", GoJson.compact(0.0000001));
        assertEquals("1.5e-7", GoJson.compact(0.00000015));
        assertEquals("1e+21", GoJson.compact(1e21));
        assertEquals("123456789012345680000", GoJson.compact(1.2345678901234568e20));
    }
}
