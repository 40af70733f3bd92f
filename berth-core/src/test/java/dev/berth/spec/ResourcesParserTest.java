package dev.berth.spec;

import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static dev.berth.spec.TestConfigs.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourcesParserTest extends SpecAssertions {
    @TempDir
    Path dir;

    @Override
    Path dir() {
        return dir;
    }

    private Resources resources(String text) {
        return load(put(minimal(), "linux.resources", json(text))).linux().resources();
    }

    private void assertResourcesError(String text, String message) {
        assertError(put(minimal(), "linux.resources", json(text)), message);
    }

    @Test
    void absentResourcesAreNone() {
        assertTrue(load(minimal()).linux().resources().isEmpty());
    }

    @Test
    void everySectionIsRead() {
        Resources r = resources("""
                {"memory": {"limit": 67108864, "reservation": -1, "swap": 134217728, "swappiness": 10,
                            "disableOOMKiller": true, "kernelTCP": 1048576},
                 "cpu": {"shares": 1024, "quota": -1, "period": 100000, "burst": 0, "realtimeRuntime": 950,
                         "realtimePeriod": 1000, "cpus": "0-1", "mems": "0", "idle": 1},
                 "pids": {"limit": 100},
                 "blockIO": {"weight": 500, "leafWeight": 300,
                             "weightDevice": [{"major": 8, "minor": 0, "weight": 600}],
                             "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
                             "throttleWriteIOPSDevice": [{"major": 8, "minor": 16, "rate": 100}]},
                 "hugepageLimits": [{"pageSize": "2MB", "limit": 209715200}],
                 "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 5}]},
                 "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
                 "unified": {"memory.high": "50000000"},
                 "devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3}]}
                """);
        assertEquals(67108864L, r.memory().limit());
        assertEquals(-1L, r.memory().reservation());
        assertEquals(10L, r.memory().swappiness());
        assertTrue(r.memory().disableOomKiller());
        assertEquals(-1L, r.cpu().quota());
        assertEquals("0-1", r.cpu().cpus());
        assertEquals(1L, r.cpu().idle());
        assertEquals(100L, r.pidsLimit());
        assertEquals(500, r.blockIo().weight());
        assertEquals(new Resources.WeightDevice(8, 0, 600, null), r.blockIo().weightDevices().get(0));
        assertEquals(new Resources.ThrottleDevice(8, 16, 100), r.blockIo().writeIops().get(0));
        assertEquals(List.of(new Resources.HugepageLimit("2MB", 209715200)), r.hugepageLimits());
        assertEquals(Map.of("eth0", 5L), r.network().priorities());
        assertEquals(new Resources.Rdma(3L, 10000L), r.rdma().get("mlx5_1"));
        assertEquals(Map.of("memory.high", "50000000"), r.unified());
        assertEquals("a *:* rwm", r.devices().get(0).v1());
        assertEquals("c 1:3 rwm", r.devices().get(1).v1());
    }

    @Test
    void absentFieldsStayNull() {
        Resources r = resources("{\"memory\": {\"limit\": 1}}");
        assertNull(r.memory().swap());
        assertNull(r.cpu());
        assertNull(r.pidsLimit());
    }

    @Test
    void badValuesNameTheirField() {
        assertResourcesError("{\"memory\": {\"limit\": \"1g\"}}", "config.json: linux.resources.memory.limit: must be an integer");
        assertResourcesError("{\"memory\": {\"swappiness\": 101}}",
                "config.json: linux.resources.memory.swappiness: must be from 0 to 100");
        assertResourcesError("{\"cpu\": {\"idle\": 2}}", "config.json: linux.resources.cpu.idle: must be 0 or 1");
        assertResourcesError("{\"cpu\": {\"shares\": -5}}",
                "config.json: linux.resources.cpu.shares: must be an integer from 0 to 18446744073709551615");
        assertResourcesError("{\"blockIO\": {\"weight\": 70000}}",
                "config.json: linux.resources.blockIO.weight: must be an integer from 0 to 65535");
        assertResourcesError("{\"hugepageLimits\": [{\"pageSize\": \"huge\", \"limit\": 1}]}",
                "config.json: linux.resources.hugepageLimits[0].pageSize: \"huge\" is not a page size such as 2MB or 1GB");
        assertResourcesError("{\"devices\": [{\"allow\": true, \"access\": \"rx\"}]}",
                "config.json: linux.resources.devices[0].access: \"rx\" must be made of r, w and m, each at most once");
        assertResourcesError("{\"devices\": [{\"allow\": true, \"type\": \"p\"}]}",
                "config.json: linux.resources.devices[0].type: unknown device type \"p\" (expected a, c or b)");
        assertResourcesError("{\"devices\": [{\"access\": \"r\"}]}",
                "config.json: linux.resources.devices[0].allow: is required");
        assertResourcesError("{\"unified\": {\"../memory.max\": \"1\"}}",
                "config.json: linux.resources.unified[\"../memory.max\"]: must be the name of a cgroup file such as memory.high");
    }

    @Test
    void unknownPropertiesAreWarnedAbout() {
        Spec s = load(put(minimal(), "linux.resources", json("{\"memory\": {\"limitt\": 1}}")));
        assertEquals(List.of("config.json: unknown property \"linux.resources.memory.limitt\" ignored"), s.warnings());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aResourcesFileOnItsOwn() {
        Resources r = ResourcesParser.parseFile((Map<String, Object>) json("{\"pids\": {\"limit\": 5}}"), "resources.json");
        assertEquals(5L, r.pidsLimit());
        BerthException e = assertThrows(BerthException.class,
                () -> ResourcesParser.parseFile((Map<String, Object>) json("{\"pids\": {\"limit\": \"x\"}}"), "resources.json"));
        assertEquals("resources.json: pids.limit: must be an integer", e.getMessage());
    }
}
