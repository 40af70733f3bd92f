package dev.berth.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.BerthException;
import java.util.List;
import org.junit.jupiter.api.Test;

class V2SettingsTest {
    private static final String W = "config.json: linux.resources";

    private static List<String> writes(String json) {
        return TestResources.writes(V2Settings.of(TestResources.of(json), W));
    }

    private static String error(String json) {
        return assertThrows(BerthException.class, () -> writes(json)).getMessage();
    }

    @Test
    void memoryWithSwapConvertedToSwapAlone() {
        assertEquals(List.of("memory/memory.max=67108864", "memory/memory.swap.max=67108864", "memory/memory.low=33554432"),
                writes("{\"memory\": {\"limit\": 67108864, \"swap\": 134217728, \"reservation\": 33554432}}"));
        assertEquals(List.of("memory/memory.max=max", "memory/memory.swap.max=max"), writes("{\"memory\": {\"limit\": -1}}"));
        // memory+swap equal to the limit: no swap at all (not "unset").
        assertEquals(List.of("memory/memory.max=100", "memory/memory.swap.max=0"),
                writes("{\"memory\": {\"limit\": 100, \"swap\": 100}}"));
        assertEquals(List.of("memory/memory.max=100", "memory/memory.swap.max=max"),
                writes("{\"memory\": {\"limit\": 100, \"swap\": -1}}"));
        assertEquals(W + ".memory.swap: cannot be set without memory.limit", error("{\"memory\": {\"swap\": 100}}"));
        assertEquals(W + ".memory.swap: memory+swap (50) must not be less than memory.limit (100)",
                error("{\"memory\": {\"limit\": 100, \"swap\": 50}}"));
        assertEquals(W + ".memory.swappiness: does not exist on cgroup v2", error("{\"memory\": {\"swappiness\": 10}}"));
    }

    @Test
    void cpuSharesBecomeAWeightAndQuotaAndPeriodOneFile() {
        assertEquals(List.of("cpu/cpu.weight=39", "cpu/cpu.max=50000 100000", "cpuset/cpuset.cpus=1"),
                writes("{\"cpu\": {\"shares\": 1024, \"quota\": 50000, \"period\": 100000, \"cpus\": \"1\"}}"));
        assertEquals(List.of("cpu/cpu.max=max 50000"), writes("{\"cpu\": {\"quota\": -1, \"period\": 50000}}"));
        assertEquals(List.of("cpu/cpu.max=20000"), writes("{\"cpu\": {\"quota\": 20000}}"));
        assertEquals(1, V2Settings.cpuWeight(2));
        assertEquals(10000, V2Settings.cpuWeight(262144));
        assertEquals(W + ".cpu.realtimeRuntime: real-time cpu limits do not exist on cgroup v2",
                error("{\"cpu\": {\"realtimeRuntime\": 5}}"));
    }

    @Test
    void blkioBecomesIo() {
        assertEquals(List.of("io/io.bfq.weight=500 or io/io.weight=4950", "io/io.max=8:0 rbps=1048576",
                "io/io.max=8:0 wiops=max"),
                writes("{\"blockIO\": {\"weight\": 500,"
                        + " \"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 1048576}],"
                        + " \"throttleWriteIOPSDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 0}]}}"));
        assertEquals(1, V2Settings.ioWeight(10));
        assertEquals(10000, V2Settings.ioWeight(1000));
    }

    @Test
    void pidsHugetlbRdmaAndUnifiedLast() {
        assertEquals(List.of("pids/pids.max=max", "hugetlb/hugetlb.1GB.max=1073741824",
                "rdma/rdma.max=mlx5_1 hca_handle=3", "memory/memory.high=50000000"),
                writes("{\"unified\": {\"memory.high\": \"50000000\"}, \"pids\": {\"limit\": -1},"
                        + " \"hugepageLimits\": [{\"pageSize\": \"1GB\", \"limit\": 1073741824}],"
                        + " \"rdma\": {\"mlx5_1\": {\"hcaHandles\": 3}}}"));
    }

    @Test
    void networkIsV1Only() {
        assertEquals(W + ".network: net_cls and net_prio exist only on cgroup v1",
                error("{\"network\": {\"classID\": 5}}"));
    }

    @Test
    void devicesBecomeTheProgramsRulesNotFiles() {
        var r = TestResources.of("{\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]}");
        CgroupSettings s = V2Settings.of(r, DeviceRules.of(r.devices(), java.util.List.of()), W);
        assertEquals(List.of(), s.writes());
        assertEquals(List.of(), s.warnings());
        assertEquals(2 + DeviceRules.DEFAULTS.size(), s.v2DeviceRules().size());
        assertEquals(null, V2Settings.of(r, W).v2DeviceRules(), "update leaves the devices alone");
    }
}
