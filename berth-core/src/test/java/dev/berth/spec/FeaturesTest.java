package dev.berth.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeaturesTest {
    @Test
    @SuppressWarnings("unchecked")
    void describesWhatBerthDoes() {
        Map<String, Object> f = Features.json();
        assertEquals("1.0.0", f.get("ociVersionMin"));
        assertEquals("1.2.0", f.get("ociVersionMax"));
        assertEquals(List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"),
                f.get("hooks"));
        assertEquals(MountOptions.known(), f.get("mountOptions"));
        Map<String, Object> linux = (Map<String, Object>) f.get("linux");
        assertEquals(List.of("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"), linux.get("namespaces"));
        List<String> caps = (List<String>) linux.get("capabilities");
        assertEquals("CAP_CHOWN", caps.get(0));
        assertTrue(caps.contains("CAP_CHECKPOINT_RESTORE"), caps.toString());
        Map<String, Object> seccomp = (Map<String, Object>) linux.get("seccomp");
        assertEquals(true, seccomp.get("enabled"));
        assertTrue(((List<String>) seccomp.get("actions")).contains("SCMP_ACT_NOTIFY"));
        assertTrue(((List<String>) seccomp.get("operators")).contains("SCMP_CMP_MASKED_EQ"));
        assertTrue(((List<String>) seccomp.get("archs")).contains("SCMP_ARCH_X86_64"));
        assertTrue(((List<String>) seccomp.get("supportedFlags")).contains("SECCOMP_FILTER_FLAG_LOG"));
        Map<String, Object> cgroup = (Map<String, Object>) linux.get("cgroup");
        assertEquals(true, cgroup.get("v1"));
        assertEquals(true, cgroup.get("v2"));
        assertEquals(false, cgroup.get("systemd"));
        assertEquals(Map.of("enabled", true), linux.get("apparmor"));
        assertEquals(Map.of("enabled", true), linux.get("selinux"));
        for (String off : List.of("intelRdt")) {
            assertEquals(Map.of("enabled", false), linux.get(off), off);
        }
        assertEquals(Map.of("idmap", Map.of("enabled", true)), linux.get("mountExtensions"));
        assertFalse(f.containsKey("annotations"));
    }

    @Test
    void versionBecomesAnAnnotation() {
        assertEquals(Map.of("dev.berth.version", "0.1.0"), Features.json("0.1.0").get("annotations"));
    }

    @Test
    void writesAsJson() {
        String text = Json.write(Features.json(), true);
        assertTrue(text.startsWith("{\n  \"ociVersionMin\": \"1.0.0\",\n  \"ociVersionMax\": \"1.2.0\","), text);
        assertTrue(text.contains("\"capabilities\": [\n"), text);
        assertEquals(Features.json(), Json.parse(text, "features"));
    }
}
