package dev.berth.spec;

import static dev.berth.spec.TestConfigs.add;
import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static dev.berth.spec.TestConfigs.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxValidationTest extends SpecAssertions {
    @TempDir
    Path dir;

    @Override
    Path dir() {
        return dir;
    }

    private static Map<String, Object> withNamespaces(String... types) {
        Map<String, Object> c = minimal();
        for (String t : types) add(c, "linux.namespaces", json("{\"type\": \"" + t + "\"}"));
        return c;
    }

    @Test
    void namespaceTypesAreKnown() {
        assertError(withNamespaces("pid", "netz"), "config.json: linux.namespaces[2].type: unknown namespace type "
                + "\"netz\" (expected one of cgroup, ipc, mount, network, pid, time, user, uts)");
        assertError(add(minimal(), "linux.namespaces", json("{\"path\": \"/proc/self/ns/pid\"}")),
                "config.json: linux.namespaces[1].type: is required");
    }

    @Test
    void namespaceTypesAreUnique() {
        assertError(withNamespaces("pid", "pid"), "config.json: linux.namespaces[2].type: duplicate namespace type \"pid\"");
    }

    @Test
    void namespacePathsAreAbsoluteAndExist() {
        assertError(add(minimal(), "linux.namespaces", json("{\"type\": \"network\", \"path\": \"run/netns/x\"}")),
                "config.json: linux.namespaces[1].path: \"run/netns/x\" must be an absolute path");
        assertError(add(minimal(), "linux.namespaces", json("{\"type\": \"network\", \"path\": \"/nonexistent/ns\"}")),
                "config.json: linux.namespaces[1].path: /nonexistent/ns does not exist");
        LinuxSpec l = load(add(minimal(), "linux.namespaces",
                json("{\"type\": \"network\", \"path\": \"/proc/self/ns/net\"}"))).linux();
        assertEquals(new Namespace(NamespaceType.NETWORK, "/proc/self/ns/net"), l.namespace(NamespaceType.NETWORK));
        assertTrue(l.isNew(NamespaceType.MOUNT));
    }

    @Test
    void aMountNamespaceIsRequired() {
        assertError(put(minimal(), "linux.namespaces", json("[{\"type\": \"pid\"}]")),
                "config.json: linux.namespaces: must contain a mount namespace: berth does not set up a container "
                        + "in the runtime's own mount namespace");
        assertError(put(minimal(), "linux", json("{}")),
                "config.json: linux.namespaces: must contain a mount namespace: berth does not set up a container "
                        + "in the runtime's own mount namespace");
    }

    @Test
    void userNamespacesAndMappingsGoTogether() {
        String map = "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]";
        assertError(withNamespaces("user"),
                "config.json: linux.uidMappings: a new user namespace needs uidMappings and gidMappings");
        assertError(put(withNamespaces("user"), "linux.uidMappings", json(map)),
                "config.json: linux.gidMappings: a new user namespace needs uidMappings and gidMappings");
        assertError(put(minimal(), "linux.uidMappings", json(map)),
                "config.json: linux.uidMappings: set, but linux.namespaces has no user namespace");
        assertError(put(withNamespaces("user"), "linux.uidMappings", json("[{\"hostID\": 1000, \"size\": 0}]")),
                "config.json: linux.uidMappings[0].size: must be greater than 0");
        assertError(put(withNamespaces("user"), "linux.uidMappings", json("[{\"hostID\": 1000, \"size\": 2}, "
                + "{\"containerID\": 1, \"hostID\": 2000, \"size\": 1}]")),
                "config.json: linux.uidMappings[1]: containerID range 1-1 overlaps uidMappings[0]");
        Map<String, Object> ok = put(put(withNamespaces("user"), "linux.uidMappings", json(map)), "linux.gidMappings",
                json(map));
        assertEquals(List.of(new IdMapping(0, 1000, 1)), load(ok).linux().uidMappings());
    }

    @Test
    void mappingsOfAJoinedUserNamespaceAreIgnoredWithAWarning() {
        String map = "[{\"containerID\": 0, \"hostID\": 0, \"size\": 4294967295}]";
        Map<String, Object> c = add(minimal(), "linux.namespaces",
                json("{\"type\": \"user\", \"path\": \"/proc/self/ns/user\"}"));
        put(put(c, "linux.uidMappings", json(map)), "linux.gidMappings", json(map));
        assertEquals(List.of("config.json: linux.uidMappings and linux.gidMappings are ignored: the user namespace "
                + "is joined by path"), load(c).warnings());
    }

    @Test
    void hostnameCannotBeSetInAUtsNamespaceANewUserNamespaceDoesNotOwn() {
        String map = "[{\"hostID\": 1000, \"size\": 1}]";
        Map<String, Object> c = put(put(withNamespaces("user"), "linux.uidMappings", json(map)), "linux.gidMappings",
                json(map));
        add(c, "linux.namespaces", json("{\"type\": \"uts\", \"path\": \"/proc/self/ns/uts\"}"));
        put(c, "hostname", "h");
        assertError(c, "config.json: hostname: cannot be set: the UTS namespace is joined by path and the user "
                + "namespace is new, so the container has no rights in it");
        put(c, "linux.sysctl", json("{\"kernel.domainname\": \"d\"}"));
        TestConfigs.remove(c, "hostname");
        load(c);
        add(c, "linux.namespaces", json("{\"type\": \"ipc\", \"path\": \"/proc/self/ns/ipc\"}"));
        put(c, "linux.sysctl", json("{\"kernel.shmmax\": \"1\"}"));
        assertError(c, "config.json: linux.sysctl[\"kernel.shmmax\"]: cannot be set: its namespace is joined by path "
                + "and the user namespace is new, so the container has no rights in it");
    }

    @Test
    void timeOffsetsNeedANewTimeNamespace() {
        String offsets = "{\"monotonic\": {\"secs\": -86400, \"nanosecs\": 5}}";
        assertError(put(minimal(), "linux.timeOffsets", json(offsets)),
                "config.json: linux.timeOffsets: set, but linux.namespaces has no time namespace");
        Map<String, Object> joined = add(minimal(), "linux.namespaces",
                json("{\"type\": \"time\", \"path\": \"/proc/self/ns/time\"}"));
        assertError(put(joined, "linux.timeOffsets", json(offsets)),
                "config.json: linux.timeOffsets: cannot be applied to a time namespace joined by path");
        assertError(put(withNamespaces("time"), "linux.timeOffsets", json("{\"realtime\": {\"secs\": 1}}")),
                "config.json: linux.timeOffsets.realtime: unknown clock (expected monotonic or boottime)");
        assertError(put(withNamespaces("time"), "linux.timeOffsets", json("{\"boottime\": {\"nanosecs\": 1000000000}}")),
                "config.json: linux.timeOffsets.boottime.nanosecs: must be less than 1000000000");
        LinuxSpec l = load(put(withNamespaces("time"), "linux.timeOffsets", json(offsets))).linux();
        assertEquals(Map.of("monotonic", new TimeOffset(-86400, 5)), l.timeOffsets());
    }

    @Test
    void devicesAreChecked() {
        assertError(put(minimal(), "linux.devices", json("[{\"type\": \"x\", \"path\": \"/dev/x\"}]")),
                "config.json: linux.devices[0].type: unknown device type \"x\" (expected c, b, u or p)");
        assertError(put(minimal(), "linux.devices", json("[{\"type\": \"c\", \"path\": \"dev/x\", \"major\": 1}]")),
                "config.json: linux.devices[0].path: \"dev/x\" must be an absolute path");
        assertError(put(minimal(), "linux.devices", json("[{\"type\": \"b\", \"path\": \"/dev/sda\", \"minor\": 0}]")),
                "config.json: linux.devices[0].major: is required for a device of type \"b\"");
        LinuxSpec l = load(put(minimal(), "linux.devices", json("""
                [{"type": "p", "path": "/dev/fifo"},
                 {"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0}]
                """))).linux();
        assertEquals(new Device("p", "/dev/fifo", 0, 0, null, null, null), l.devices().get(0));
        assertEquals(new Device("c", "/dev/fuse", 10, 229, 438L, 0L, 0L), l.devices().get(1));
    }

    @Test
    void rootfsPropagationIsOneOfTheKnownModes() {
        assertError(put(minimal(), "linux.rootfsPropagation", "rshard"),
                "config.json: linux.rootfsPropagation: unknown propagation \"rshard\" (expected one of shared, slave, "
                        + "private, unbindable, rshared, rslave, rprivate, runbindable)");
        assertEquals("rslave", load(put(minimal(), "linux.rootfsPropagation", "rslave")).linux().rootfsPropagation());
    }

    @Test
    void maskedAndReadonlyPathsAreAbsolute() {
        assertError(put(minimal(), "linux.maskedPaths", json("[\"/proc/kcore\", \"proc/keys\"]")),
                "config.json: linux.maskedPaths[1]: \"proc/keys\" must be an absolute path");
        assertError(put(minimal(), "linux.readonlyPaths", json("[\"sys\"]")),
                "config.json: linux.readonlyPaths[0]: \"sys\" must be an absolute path");
    }

    @Test
    void personalityDomainIsKnown() {
        assertError(put(minimal(), "linux.personality", json("{\"domain\": \"BSD\"}")),
                "config.json: linux.personality.domain: unknown domain \"BSD\" (expected LINUX or LINUX32)");
    }
}
