package dev.berth.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultSpecTest {
    private static final List<String> CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static <T> T at(Object json, String path) {
        Object v = json;
        for (String p : path.split("\\.")) {
            v = v instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) v).get(p);
        }
        return (T) v;
    }

    private static List<Object> namespaceTypes(Map<String, Object> spec) {
        List<Map<String, Object>> ns = at(spec, "linux.namespaces");
        return ns.stream().map(n -> n.get("type")).toList();
    }

    @Test
    void rootSpecIsRuncsExample() {
        Map<String, Object> s = DefaultSpec.json(false, 0, 0, false);
        assertEquals(List.of("ociVersion", "process", "root", "hostname", "mounts", "linux"), List.copyOf(s.keySet()));
        assertEquals("1.2.0", s.get("ociVersion"));
        assertEquals(true, at(s, "process.terminal"));
        assertEquals(Map.of("uid", 0L, "gid", 0L), at(s, "process.user"));
        assertEquals(List.of("sh"), at(s, "process.args"));
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
                at(s, "process.env"));
        assertEquals("/", at(s, "process.cwd"));
        assertEquals(Map.of("bounding", CAPS, "effective", CAPS, "permitted", CAPS), at(s, "process.capabilities"));
        assertEquals(List.of(Map.of("type", "RLIMIT_NOFILE", "hard", 1024L, "soft", 1024L)), at(s, "process.rlimits"));
        assertEquals(true, at(s, "process.noNewPrivileges"));
        assertEquals(Map.of("path", "rootfs", "readonly", true), s.get("root"));
        assertEquals("berth", s.get("hostname"));
        assertEquals(List.of(Map.of("allow", false, "access", "rwm")), at(s, "linux.resources.devices"));
        assertEquals(List.of("pid", "network", "ipc", "uts", "mount"), namespaceTypes(s));
        assertEquals(List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"),
                at(s, "linux.maskedPaths"));
        assertEquals(List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
                at(s, "linux.readonlyPaths"));
        assertNull(at(s, "linux.uidMappings"));
    }

    @Test
    void mountsAreRuncs() {
        List<Map<String, Object>> m = at(DefaultSpec.json(false, 0, 0, false), "mounts");
        assertEquals(7, m.size());
        assertEquals(Map.of("destination", "/proc", "type", "proc", "source", "proc"), m.get(0));
        assertEquals(List.of("nosuid", "strictatime", "mode=755", "size=65536k"), m.get(1).get("options"));
        assertEquals(List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
                m.get(2).get("options"));
        assertEquals("shm", m.get(3).get("source"));
        assertEquals(List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"), m.get(3).get("options"));
        assertEquals("/dev/mqueue", m.get(4).get("destination"));
        assertEquals(Map.of("destination", "/sys", "type", "sysfs", "source", "sysfs",
                "options", List.of("nosuid", "noexec", "nodev", "ro")), m.get(5));
        assertEquals(Map.of("destination", "/sys/fs/cgroup", "type", "cgroup", "source", "cgroup",
                "options", List.of("nosuid", "noexec", "nodev", "relatime", "ro")), m.get(6));
    }

    @Test
    void cgroupNamespaceOnlyWhereRuncAddsOne() {
        assertEquals(List.of("pid", "network", "ipc", "uts", "mount", "cgroup"),
                namespaceTypes(DefaultSpec.json(false, 0, 0, true)));
    }

    @Test
    void rootlessIsRuncsToRootless() {
        Map<String, Object> s = DefaultSpec.json(true, 1000, 1001, false);
        assertEquals(List.of("pid", "ipc", "uts", "mount", "user"), namespaceTypes(s));
        assertEquals(List.of(Map.of("containerID", 0L, "hostID", 1000L, "size", 1L)), at(s, "linux.uidMappings"));
        assertEquals(List.of(Map.of("containerID", 0L, "hostID", 1001L, "size", 1L)), at(s, "linux.gidMappings"));
        assertNull(at(s, "linux.resources"));
        List<Map<String, Object>> m = at(s, "mounts");
        assertEquals(7, m.size());
        assertEquals(Map.of("destination", "/sys", "type", "none", "source", "/sys",
                "options", List.of("rbind", "nosuid", "noexec", "nodev", "ro")), m.get(5));
        assertEquals(List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"), m.get(2).get("options"));
        assertEquals("cgroup", m.get(6).get("type"));
        assertFalse(m.get(0).containsKey("options"));
        assertEquals(List.of("pid", "ipc", "uts", "mount", "cgroup", "user"),
                namespaceTypes(DefaultSpec.json(true, 1000, 1000, true)));
    }

    @Test
    void hostVariantUsesThisProcess() {
        Map<String, Object> s = DefaultSpec.json(true);
        List<Map<String, Object>> uid = at(s, "linux.uidMappings");
        assertEquals(1L, uid.getFirst().get("size"));
        assertTrue(((Long) uid.getFirst().get("hostID")) >= 0);
    }

    /** What `berth spec` writes must load. */
    @Test
    void defaultSpecsLoad() {
        for (boolean rootless : new boolean[] {false, true}) {
            Map<String, Object> s = DefaultSpec.json(rootless, 1000, 1000, true);
            TestConfigs.put(s, "process.terminal", false);
            Spec spec = SpecLoader.load(TestConfigs.bundle(dir, s));
            assertEquals(7, spec.mounts().size());
            assertTrue(spec.root().readonly());
            // Everything runc's default spec sets (capabilities, rlimits, noNewPrivileges) is applied.
            for (String w : spec.warnings()) assertTrue(w.startsWith("config.json: linux.resources"), w);
            assertEquals(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"),
                    spec.process().capabilities().bounding());
            assertNull(spec.process().capabilities().ambient());
            assertTrue(spec.process().noNewPrivileges());
        }
    }

    @Test
    void defaultSpecLoadsWithItsTerminal() {
        TestConfigs.bundle(dir, DefaultSpec.json(false, 0, 0, false));
        assertTrue(SpecLoader.load(dir).process().terminal());
    }

    @Test
    void writesAsJson() {
        String text = Json.write(DefaultSpec.json(false, 0, 0, false), true);
        assertTrue(text.startsWith("{\n  \"ociVersion\": \"1.2.0\",\n  \"process\": {\n    \"terminal\": true,"), text);
    }
}
