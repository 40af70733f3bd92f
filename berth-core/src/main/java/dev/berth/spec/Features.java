package dev.berth.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime-spec features document (features.md) for `berth features`: what this berth version
 * implements, not what the host offers. Fields it accepts but does not apply yet are reported as
 * disabled, so that callers such as containerd do not rely on them.
 */
public final class Features {
    public static final String OCI_VERSION_MIN = "1.0.0";
    public static final String OCI_VERSION_MAX = "1.2.0";

    private Features() {}

    public static Map<String, Object> json() {
        return json(null);
    }

    /** The document; {@code version} (berth's own) becomes the annotation dev.berth.version. */
    public static Map<String, Object> json(String version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersionMin", OCI_VERSION_MIN);
        m.put("ociVersionMax", OCI_VERSION_MAX);
        m.put("hooks", Hooks.NAMES);
        m.put("mountOptions", MountOptions.known());
        m.put("linux", linux());
        if (version != null) m.put("annotations", Map.of("dev.berth.version", version));
        return m;
    }

    private static Map<String, Object> linux() {
        Map<String, Object> l = new LinkedHashMap<>();
        List<String> namespaces = new ArrayList<>();
        for (NamespaceType t : NamespaceType.values()) namespaces.add(t.specName());
        l.put("namespaces", namespaces);
        l.put("capabilities", Capability.known());
        Map<String, Object> cgroup = new LinkedHashMap<>();
        cgroup.put("v1", true);
        cgroup.put("v2", true);
        cgroup.put("systemd", false);
        cgroup.put("systemdUser", false);
        cgroup.put("rdma", true);
        l.put("cgroup", cgroup);
        l.put("seccomp", seccomp());
        // berth can apply both where the module is active (features.md: "support compiled in").
        l.put("apparmor", Map.of("enabled", true));
        l.put("selinux", Map.of("enabled", true));
        l.put("intelRdt", disabled());
        l.put("mountExtensions", Map.of("idmap", Map.of("enabled", true)));
        return l;
    }

    private static Map<String, Object> seccomp() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", true);
        m.put("actions", sorted(SeccompParser.ACTIONS));
        m.put("operators", sorted(SeccompParser.OPS));
        m.put("archs", sorted(SeccompParser.ARCHES));
        m.put("knownFlags", sorted(SeccompParser.FLAGS));
        m.put("supportedFlags", sorted(SeccompParser.FLAGS));
        return m;
    }

    private static List<String> sorted(java.util.Set<String> set) {
        List<String> l = new ArrayList<>(set);
        java.util.Collections.sort(l);
        return l;
    }

    private static Map<String, Object> disabled() {
        return Map.of("enabled", false);
    }
}
