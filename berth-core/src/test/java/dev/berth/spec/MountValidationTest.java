package dev.berth.spec;

import static dev.berth.spec.TestConfigs.add;
import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountValidationTest extends SpecAssertions {
    @TempDir
    Path dir;

    @Override
    Path dir() {
        return dir;
    }

    /** Three valid mounts, then this one as mounts[3]. */
    private static Map<String, Object> withMount(String mount) {
        Map<String, Object> c = minimal();
        add(c, "mounts", json("{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"}"));
        add(c, "mounts", json("{\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}"));
        add(c, "mounts", json("{\"destination\": \"/etc/hosts\", \"source\": \"/etc/hosts\", \"options\": [\"bind\"]}"));
        add(c, "mounts", json(mount));
        return c;
    }

    @Test
    void relativeDestinationsAreRelativeToRoot() {
        assertEquals("/tmp", load(withMount("{\"destination\": \"tmp\", \"type\": \"tmpfs\"}"))
                .mounts().get(3).destination());
        assertError(withMount("{\"type\": \"tmpfs\"}"), "config.json: mounts[3].destination: is required");
    }

    @Test
    void aTypeIsNeededUnlessTheMountIsABind() {
        assertError(withMount("{\"destination\": \"/tmp\", \"source\": \"tmpfs\"}"),
                "config.json: mounts[3].type: is required unless the mount is a bind mount");
        assertEquals(4, load(withMount("{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"/tmp\"}"))
                .mounts().size());
    }

    @Test
    void bindMountsNeedASourceAndNoFileSystemOptions() {
        assertError(withMount("{\"destination\": \"/x\", \"options\": [\"rbind\"]}"),
                "config.json: mounts[3].source: is required for a bind mount");
        assertError(withMount("{\"destination\": \"/x\", \"source\": \"/tmp\", \"options\": [\"rbind\", \"size=1m\"]}"),
                "config.json: mounts[3].options: a bind mount cannot take file-system options (\"size=1m\")");
    }

    @Test
    void optionsBerthCannotApplyYetAreRefused() {
        assertError(withMount("{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"tmpcopyup\"]}"),
                "config.json: mounts[3].options: \"tmpcopyup\" is not supported by this berth version");
    }

    @Test
    void theRootIsNoMountPoint() {
        assertError(withMount("{\"destination\": \"/./\", \"type\": \"tmpfs\"}"),
                "config.json: mounts[3].destination: \"/\" cannot be a mount point; root.path is the root");
    }

    @Test
    void procTakesOnlyProc() {
        assertError(withMount("{\"destination\": \"/proc/\", \"type\": \"tmpfs\"}"),
                "config.json: mounts[3].destination: /proc/: /proc can only take a mount of type proc");
        assertError(withMount("{\"destination\": \"/proc\", \"source\": \"/tmp\", \"options\": [\"rbind\"]}"),
                "config.json: mounts[3].destination: /proc: /proc can only take a bind of a proc file system");
        assertEquals(4, load(withMount("{\"destination\": \"/proc\", \"source\": \"/proc\", \"options\": [\"rbind\"]}"))
                .mounts().size());
    }

    @Test
    void insideProcOnlyWhatLxcfsEmulates() {
        assertError(withMount("{\"destination\": \"/proc/sys/kernel/core_pattern\", \"source\": \"/tmp\", "
                        + "\"options\": [\"bind\"]}"),
                "config.json: mounts[3].destination: /proc/sys/kernel/core_pattern: mounts inside /proc are refused, "
                        + "except on " + String.join(", ", ProcMounts.ALLOWED_INSIDE));
        assertEquals(4, load(withMount("{\"destination\": \"/proc/meminfo\", \"source\": \"/etc/hosts\", "
                + "\"options\": [\"bind\"]}")).mounts().size());
    }

    @Test
    void optionsAreStrings() {
        assertError(withMount("{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"ro\", 1]}"),
                "config.json: mounts[3].options[1]: must be a string");
    }

    @Test
    void mountIdMappingsAreRead() {
        Spec s = load(withMount("""
                {"destination": "/x", "source": "/tmp", "options": ["bind"],
                 "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
                 "gidMappings": [{"containerID": 0, "hostID": 2000, "size": 1}]}"""));
        assertEquals(List.of(new IdMapping(0, 1000, 1)), s.mounts().get(3).uidMappings());
        assertEquals(List.of(new IdMapping(0, 2000, 1)), s.mounts().get(3).gidMappings());
        assertEquals(List.of(), s.warnings(), "applied as an idmapped mount (dev.berth.plan.IdmapPlan)");
    }

    @Test
    void mountUidAndGidMappingsComeTogether() {
        String map = "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]";
        assertError(withMount("{\"destination\": \"/x\", \"source\": \"/tmp\", \"options\": [\"bind\"], "
                + "\"uidMappings\": " + map + "}"), "config.json: mounts[3].gidMappings: is required with uidMappings");
        assertError(withMount("{\"destination\": \"/x\", \"source\": \"/tmp\", \"options\": [\"bind\"], "
                + "\"gidMappings\": " + map + "}"), "config.json: mounts[3].uidMappings: is required with gidMappings");
    }

    @Test
    void mountIdMappingsAreMapsTheKernelTakes() {
        String mount = "{\"destination\": \"/x\", \"source\": \"/tmp\", \"options\": [\"bind\"], "
                + "\"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}], \"uidMappings\": ";
        assertError(withMount(mount + "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 0}]}"),
                "config.json: mounts[3].uidMappings[0].size: must be greater than 0");
        assertError(withMount(mount + "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}, "
                + "{\"containerID\": 5, \"hostID\": 5000, \"size\": 10}]}"),
                "config.json: mounts[3].uidMappings[1]: containerID range 5-14 overlaps uidMappings[0]");
        assertError(withMount(mount + "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}, "
                + "{\"containerID\": 100, \"hostID\": 1009, \"size\": 1}]}"),
                "config.json: mounts[3].uidMappings[1]: hostID range 1009-1009 overlaps uidMappings[0]");
        assertError(withMount(mount + "[{\"containerID\": 4294967295, \"hostID\": 1000, \"size\": 1}]}"),
                "config.json: mounts[3].uidMappings[0]: containerID + size must not exceed 4294967295");
        assertError(withMount(mount + "[{\"containerID\": 0, \"hostID\": 4294967290, \"size\": 10}]}"),
                "config.json: mounts[3].uidMappings[0]: hostID + size must not exceed 4294967295");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= IdMappingRules.MAX_LINES; i++) {
            many.append(i == 0 ? "" : ", ").append("{\"containerID\": ").append(i).append(", \"hostID\": ")
                    .append(1000 + i).append(", \"size\": 1}");
        }
        assertError(withMount(mount + many + "]}"),
                "config.json: mounts[3].uidMappings: 341 mappings; the kernel takes at most 340");
        assertEquals(1, load(withMount(mount + "[{\"containerID\": 0, \"hostID\": 0, \"size\": 4294967295}]}"))
                .mounts().get(3).uidMappings().size(), "the whole id space is one valid line");
    }
}
