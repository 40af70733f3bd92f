package dev.berth.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deeply unmodifiable copies of JSON values. Map.copyOf would lose the config's key order, which
 * matters for stable output (state.json, golden files), so maps stay insertion-ordered.
 */
final class Frozen {
    private Frozen() {}

    static <V> Map<String, V> orderedMap(Map<String, V> m) {
        if (m == null) return null;
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** A copy of a parsed JSON value in which no map or list can be changed. */
    @SuppressWarnings("unchecked")
    static Object json(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) copy.put((String) e.getKey(), json(e.getValue()));
            return Collections.unmodifiableMap(copy);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            for (Object o : l) copy.add(json(o));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> jsonMap(Map<String, Object> m) {
        return m == null ? null : (Map<String, Object>) json(m);
    }
}
