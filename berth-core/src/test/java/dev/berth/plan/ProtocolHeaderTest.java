package dev.berth.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** protocol.h is the one definition of the wire format; Protocol.java must say exactly the same. */
class ProtocolHeaderTest {
    private static final Pattern DEFINE = Pattern.compile("^\\s*#\\s*define\\s+(\\w+)\\s+(\\S+)");
    private static final Pattern NUMBER = Pattern.compile("(0[xX][0-9a-fA-F]+|\\d+)[uUlL]*");

    @Test
    void everyHeaderConstantHasTheSameValueInJava() throws IOException {
        Map<String, Long> header = header();
        Map<String, Long> java = javaConstants();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Long> e : header.entrySet()) {
            Long v = java.get(e.getKey());
            if (v == null) {
                problems.add(e.getKey() + " is missing in Protocol.java");
            } else if (!v.equals(e.getValue())) {
                problems.add(e.getKey() + " is " + e.getValue() + " in protocol.h but " + v + " in Protocol.java");
            }
        }
        for (String name : new TreeSet<>(java.keySet())) {
            if (!header.containsKey(name)) problems.add(name + " is in Protocol.java but not in protocol.h");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void headerIsReadAtAll() throws IOException {
        Map<String, Long> header = header();
        assertTrue(header.size() > 50, "only " + header.size() + " constants found in protocol.h");
        assertEquals(0x48545242L, header.get("BERTH_MAGIC"));
        assertFalse(header.containsKey("BERTH_PROTOCOL_H"), "the include guard is no constant");
    }

    /** Every "#define NAME number" of the header; the include guard and non-numbers are skipped. */
    private static Map<String, Long> header() throws IOException {
        String file = System.getProperty("berth.protocol.header");
        assertNotNull(file, "system property berth.protocol.header is not set (berth-core's pom sets it)");
        Map<String, Long> defines = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(file))) {
            Matcher d = DEFINE.matcher(line);
            if (!d.find()) continue;
            Matcher n = NUMBER.matcher(d.group(2));
            if (!n.matches()) continue;
            String digits = n.group(1);
            long value = digits.startsWith("0x") || digits.startsWith("0X")
                    ? Long.parseLong(digits.substring(2), 16)
                    : digits.length() > 1 && digits.startsWith("0") ? Long.parseLong(digits, 8) : Long.parseLong(digits);
            defines.put(d.group(1), value);
        }
        return defines;
    }

    private static Map<String, Long> javaConstants() throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Field f : Protocol.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (!Modifier.isStatic(mod) || !Modifier.isFinal(mod) || !Modifier.isPublic(mod)) continue;
            try {
                Object v = f.get(null);
                // Unsigned 32-bit reading, so that a magic with the top bit set compares right.
                long value = v instanceof Integer i ? Integer.toUnsignedLong(i) : ((Number) v).longValue();
                m.put(f.getName(), value);
            } catch (IllegalAccessException e) {
                throw new IOException(e);
            }
        }
        return m;
    }
}
