package dev.berth.spec;

import dev.berth.api.BerthException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object of config.json being read, with its field path for messages. Every accessor
 * checks the JSON type of the field and remembers the key, so that {@link #finish} can report
 * the keys nobody asked for as unknown properties. JSON null counts as absent, as in Go.
 */
final class Node {
    private static final long U32_MAX = 0xffff_ffffL;
    private static final double TWO_TO_63 = 9.223372036854775808e18;
    private static final double TWO_TO_64 = 1.8446744073709551616e19;

    private final Map<String, Object> map;
    private final String path;
    private final String pattern;
    private final Report report;
    private final Set<String> seen = new HashSet<>();

    private Node(Map<String, Object> map, String path, String pattern, Report report) {
        this.map = map;
        this.path = path;
        this.pattern = pattern;
        this.report = report;
    }

    static Node root(Map<String, Object> map, Report report) {
        return new Node(map, "", "", report);
    }

    /** A file that holds one part of config.json ({@code pattern}, e.g. "process") at its top. */
    static Node rootOf(String pattern, Map<String, Object> map, Report report) {
        return new Node(map, "", pattern, report);
    }

    /** The field path of this object ("linux.namespaces[2]"). */
    String path() {
        return path;
    }

    /** The field path of one of this object's keys. */
    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    BerthException error(String key, String what) {
        return report.error(key == null ? path : at(key), what);
    }

    Report report() {
        return report;
    }

    boolean has(String key) {
        seen.add(key);
        return map.get(key) != null;
    }

    private Object get(String key) {
        seen.add(key);
        return map.get(key);
    }

    String str(String key) {
        return checkString(get(key), at(key));
    }

    String reqStr(String key) {
        String s = str(key);
        if (s == null) throw error(key, "is required");
        return s;
    }

    boolean bool(String key) {
        Object v = get(key);
        if (v == null) return false;
        if (!(v instanceof Boolean b)) throw error(key, "must be a boolean");
        return b;
    }

    /** An unsigned 32-bit field, or null when absent. */
    Long u32(String key) {
        Object v = get(key);
        return v == null ? null : checkU32(v, at(key));
    }

    long u32(String key, long dflt) {
        Long v = u32(key);
        return v == null ? dflt : v;
    }

    /** A signed 32-bit field, or null when absent. */
    Integer i32(String key) {
        Object v = get(key);
        if (v == null) return null;
        if (!(v instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw error(key, "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        return (int) (long) l;
    }

    long i64(String key, long dflt) {
        Object v = get(key);
        if (v == null) return dflt;
        if (!(v instanceof Long l)) throw error(key, "must be an integer");
        return l;
    }

    /**
     * An unsigned 64-bit field as the long with the same bits. Values above 2^63 arrive as doubles
     * from the JSON reader and have lost their low bits; 2^64-1 (RLIM_INFINITY, the one such value
     * configs really use) rounds to 2^64 and is mapped back to all ones.
     */
    long u64(String key, long dflt) {
        Object v = get(key);
        if (v == null) return dflt;
        if (v instanceof Long l && l >= 0) return l;
        if (v instanceof Double d && d == Math.rint(d) && d >= TWO_TO_63 && d <= TWO_TO_64) {
            return d == TWO_TO_64 ? -1L : new BigDecimal(d).toBigInteger().longValue();
        }
        throw error(key, "must be an integer from 0 to 18446744073709551615");
    }

    /** An array of strings; empty when absent. */
    List<String> strings(String key) {
        Object v = get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw error(key, "must be an array of strings");
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String s = checkString(list.get(i), at(key) + "[" + i + "]");
            if (s == null) throw report.error(at(key) + "[" + i + "]", "must be a string");
            out.add(s);
        }
        return out;
    }

    /** An array of unsigned 32-bit integers; empty when absent. */
    List<Long> u32s(String key) {
        Object v = get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw error(key, "must be an array of integers");
        List<Long> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) out.add(checkU32(list.get(i), at(key) + "[" + i + "]"));
        return out;
    }

    /** A nested object, or null when absent. */
    Node obj(String key) {
        Object v = get(key);
        if (v == null) return null;
        return new Node(asObject(v, at(key)), at(key), pattern.isEmpty() ? key : pattern + "." + key, report);
    }

    /** An array of objects; empty when absent. */
    List<Node> objs(String key) {
        Object v = get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw error(key, "must be an array of objects");
        String p = (pattern.isEmpty() ? key : pattern + "." + key) + "[]";
        List<Node> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String at = at(key) + "[" + i + "]";
            out.add(new Node(asObject(list.get(i), at), at, p, report));
        }
        return out;
    }

    /** A nested object kept as deeply immutable raw JSON, or null when absent. */
    Map<String, Object> raw(String key) {
        Object v = get(key);
        if (v == null) return null;
        return Frozen.jsonMap(asObject(v, at(key)));
    }

    /** An object whose values are all strings (annotations, sysctl); empty when absent. */
    Map<String, String> stringMap(String key) {
        Object v = get(key);
        if (v == null) return Map.of();
        Map<String, Object> m = asObject(v, at(key));
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String at = entry(at(key), e.getKey());
            String s = checkString(e.getValue(), at);
            if (s == null) throw report.error(at, "must be a string");
            out.put(e.getKey(), s);
        }
        return out;
    }

    /** The path of an entry of an object whose keys are data: linux.sysctl["net.ipv4.ip_forward"]. */
    static String entry(String path, String key) {
        return path + "[\"" + key + "\"]";
    }

    /** The keys of this object, for objects whose keys are data (timeOffsets). */
    Set<String> keys() {
        return map.keySet();
    }

    /**
     * Reports, as warnings, the keys no accessor asked for (runtime-spec: unknown properties are
     * ignored, not refused) and the known ones this berth version does not apply.
     */
    void finish() {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = e.getKey();
            if (!seen.contains(key)) {
                report.warn("unknown property \"" + at(key) + "\" ignored");
                continue;
            }
            if (isZero(e.getValue())) continue;
            String p = pattern.isEmpty() ? key : pattern + "." + key;
            if (NotApplied.FIELDS.contains(p)) {
                report.warn(at(key) + " is not applied by this berth version");
            } else if (NotApplied.OTHER_PLATFORMS.contains(p)) {
                report.warn(at(key) + " applies to another platform than Linux and is ignored");
            }
        }
    }

    private static boolean isZero(Object v) {
        return v == null || Boolean.FALSE.equals(v) || "".equals(v)
                || (v instanceof List<?> l && l.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asObject(Object v, String at) {
        if (!(v instanceof Map<?, ?>)) throw report.error(at, "must be an object");
        return (Map<String, Object>) v;
    }

    private String checkString(Object v, String at) {
        if (v == null) return null;
        if (!(v instanceof String s)) throw report.error(at, "must be a string");
        if (s.indexOf('\0') >= 0) throw report.error(at, "must not contain a NUL character");
        return s;
    }

    private long checkU32(Object v, String at) {
        if (!(v instanceof Long l) || l < 0 || l > U32_MAX) {
            throw report.error(at, "must be an integer from 0 to " + U32_MAX);
        }
        return l;
    }
}
