package dev.berth.spec;

import dev.berth.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds config.json maps for tests and writes them into bundles with a rootfs directory. */
public final class TestConfigs {
    private TestConfigs() {}

    /** The smallest config berth accepts: a process and a mount namespace. */
    public static Map<String, Object> minimal() {
        return mutable(Json.parse("""
                {
                  "ociVersion": "1.2.0",
                  "root": {"path": "rootfs"},
                  "process": {"args": ["sh"], "cwd": "/"},
                  "linux": {"namespaces": [{"type": "mount"}]}
                }""", "test"));
    }

    /** A bundle directory under {@code dir} with an empty rootfs and this config.json. */
    public static Path bundle(Path dir, Map<String, Object> config) {
        try {
            Files.createDirectories(dir.resolve("rootfs"));
            Files.writeString(dir.resolve("config.json"), Json.write(config, true));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets the value at a dotted path ("process.user.uid"), creating objects on the way. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> put(Map<String, Object> config, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = config;
        for (int i = 0; i < parts.length - 1; i++) {
            m = (Map<String, Object>) m.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        m.put(parts[parts.length - 1], mutable(value));
        return config;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> remove(Map<String, Object> config, String path) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = config;
        for (int i = 0; i < parts.length - 1; i++) m = (Map<String, Object>) m.get(parts[i]);
        m.remove(parts[parts.length - 1]);
        return config;
    }

    /** Appends to the array at a dotted path, creating it when absent. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> add(Map<String, Object> config, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = config;
        for (int i = 0; i < parts.length - 1; i++) {
            m = (Map<String, Object>) m.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        ((List<Object>) m.computeIfAbsent(parts[parts.length - 1], k -> new ArrayList<>())).add(mutable(value));
        return config;
    }

    /** A JSON value from text, for concise test data: json("{\"type\": \"pid\"}"). */
    public static Object json(String text) {
        return mutable(Json.parse(text, "test"));
    }

    @SuppressWarnings("unchecked")
    private static <T> T mutable(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) copy.put((String) e.getKey(), mutable(e.getValue()));
            return (T) copy;
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            for (Object o : l) copy.add(mutable(o));
            return (T) copy;
        }
        return (T) v;
    }
}
