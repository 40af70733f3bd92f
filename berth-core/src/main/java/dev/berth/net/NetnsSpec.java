package dev.berth.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code berth spec --netns NAME}: the starter config made to join the namespace by path (and,
 * rootless, the user namespace that owns it, whose maps then come from the holder, so the
 * config has none of its own), with the namespace's resolv.conf bound read-only.
 */
public final class NetnsSpec {
    private NetnsSpec() {}

    @SuppressWarnings("unchecked")
    public static void apply(Map<String, Object> spec, NetnsRecord r, Path resolvConf) {
        Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
        List<Object> namespaces = new ArrayList<>();
        boolean hasNetwork = false;
        boolean hasUser = false;
        for (Object o : (List<Object>) linux.get("namespaces")) {
            Map<String, Object> ns = (Map<String, Object>) o;
            String type = (String) ns.get("type");
            if (type.equals("network")) {
                namespaces.add(ns(type, r.path()));
                hasNetwork = true;
            } else if (type.equals("user") && r.userns() != null) {
                namespaces.add(ns(type, r.userns()));
                hasUser = true;
            } else {
                namespaces.add(ns);
            }
        }
        // The holder's network namespace can be joined only from inside its user namespace.
        if (r.userns() != null && !hasUser) namespaces.add(ns("user", r.userns()));
        if (!hasNetwork) namespaces.add(ns("network", r.path()));
        linux.put("namespaces", namespaces);
        if (r.userns() != null) {
            linux.remove("uidMappings");
            linux.remove("gidMappings");
        }
        if (resolvConf != null) {
            List<Object> mounts = new ArrayList<>((List<Object>) spec.get("mounts"));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("destination", "/etc/resolv.conf");
            m.put("type", "bind");
            m.put("source", resolvConf.toString());
            m.put("options", List.of("rbind", "ro", "nosuid", "nodev", "noexec"));
            mounts.add(m);
            spec.put("mounts", mounts);
        }
    }

    private static Map<String, Object> ns(String type, String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("path", path);
        return m;
    }
}
