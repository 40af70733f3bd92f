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
                 "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}"""));
        assertEquals(List.of(new IdMapping(0, 1000, 1)), s.mounts().get(3).uidMappings());
        assertEquals(List.of(), s.warnings(), "applied as an idmapped mount (dev.berth.plan.IdmapPlan)");
    }
}
