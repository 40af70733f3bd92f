package dev.berth.cli;

import dev.berth.api.ContainerState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's state as runc prints it in {@code state} and {@code list --format json}: the
 * fields of runc's containerState struct in its order — ociVersion, id, pid, status, bundle,
 * rootfs, created, annotations (left out when empty), owner.
 */
final class StateView {
    private StateView() {}

    /**
     * @param withOwner runc's {@code list} fills in the owner; its {@code state} never does and
     *     prints {@code "owner": ""}, which callers may rely on, so berth does the same
     */
    static Map<String, Object> of(ContainerState s, boolean withOwner) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", orEmpty(s.ociVersion()));
        m.put("id", s.id());
        m.put("pid", s.pid());
        m.put("status", s.status().json());
        m.put("bundle", path(s.bundle()));
        m.put("rootfs", path(s.rootfs()));
        m.put("created", Rfc3339.nano(s.created()));
        if (s.annotations() != null && !s.annotations().isEmpty()) {
            // a Go map: encoding/json sorts its keys
            m.put("annotations", new TreeMap<>(s.annotations()));
        }
        m.put("owner", withOwner ? orEmpty(s.owner()) : "");
        return m;
    }

    /** {@code berth state}: json.MarshalIndent with two spaces, and no newline at the end. */
    static String stateJson(ContainerState s) {
        return GoJson.indent(of(s, false), "  ");
    }

    private static String path(Path p) {
        return p == null ? "" : p.toString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
