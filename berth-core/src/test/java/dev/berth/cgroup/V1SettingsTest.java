package dev.berth.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.BerthException;
import dev.berth.spec.Device;
import dev.berth.spec.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

class V1SettingsTest {
    private static final String W = "config.json: linux.resources";

    private static List<String> writes(String json) {
        return TestResources.writes(V1Settings.of(TestResources.of(json), null, W));
    }

    @Test
    void memoryFilesInOrderAndZeroMeansUnset() {
        assertEquals(List.of("memory/memory.limit_in_bytes=67108864", "memory/memory.memsw.limit_in_bytes=134217728",
                "memory/memory.soft_limit_in_bytes=33554432", "memory/memory.kmem.tcp.limit_in_bytes=1048576",
                "memory/memory.swappiness=0", "memory/memory.oom_control=1"),
                writes("{\"memory\": {\"limit\": 67108864, \"swap\": 134217728, \"reservation\": 33554432,"
                        + " \"kernelTCP\": 1048576, \"swappiness\": 0, \"disableOOMKiller\": true}}"));
        assertEquals(List.of(), writes("{\"memory\": {\"limit\": 0, \"swap\": 0}}"));
        assertEquals(List.of("memory/memory.limit_in_bytes=-1", "memory/memory.memsw.limit_in_bytes=-1"),
                writes("{\"memory\": {\"limit\": -1, \"swap\": -1}}"));
        assertEquals(List.of("memory/memory.limit_in_bytes=-1", "memory/memory.memsw.limit_in_bytes=-1 if present"),
                writes("{\"memory\": {\"limit\": -1}}"), "no limit means no memory+swap limit either");
    }

    @Test
    void swapBelowTheLimitIsRefused() {
        BerthException e = assertThrows(BerthException.class, () -> writes("{\"memory\": {\"limit\": 100, \"swap\": 50}}"));
        assertEquals(W + ".memory.swap: memory+swap (50) must not be less than memory.limit (100)", e.getMessage());
    }

    @Test
    void kernelMemoryIsOnlyAWarning() {
        CgroupSettings s = V1Settings.of(TestResources.of("{\"memory\": {\"kernel\": 1048576}}"), null, W);
        assertEquals(List.of(), s.writes());
        assertEquals(List.of(W + ".memory.kernel: kernel memory limits are deprecated and not applied"), s.warnings());
    }

    @Test
    void cpuAndCpuset() {
        assertEquals(List.of("cpu/cpu.shares=512", "cpu/cpu.cfs_period_us=100000", "cpu/cpu.cfs_quota_us=50000",
                "cpu/cpu.cfs_burst_us=1000", "cpu/cpu.rt_period_us=1000000", "cpu/cpu.rt_runtime_us=950000",
                "cpu/cpu.idle=0", "cpuset/cpuset.cpus=0-1", "cpuset/cpuset.mems=0"),
                writes("{\"cpu\": {\"shares\": 512, \"quota\": 50000, \"period\": 100000, \"burst\": 1000,"
                        + " \"realtimePeriod\": 1000000, \"realtimeRuntime\": 950000, \"idle\": 0,"
                        + " \"cpus\": \"0-1\", \"mems\": \"0\"}}"));
    }

    @Test
    void pidsBlkioHugetlbNetworkRdma() {
        assertEquals(List.of("pids/pids.max=max"), writes("{\"pids\": {\"limit\": -1}}"));
        assertEquals(List.of("pids/pids.max=20"), writes("{\"pids\": {\"limit\": 20}}"));
        assertEquals(List.of(), writes("{\"pids\": {\"limit\": 0}}"));
        assertEquals(List.of("blkio/blkio.weight=500 or blkio/blkio.bfq.weight=500",
                "blkio/blkio.weight_device=8:0 600 or blkio/blkio.bfq.weight_device=8:0 600",
                "blkio/blkio.throttle.read_bps_device=8:0 1048576", "blkio/blkio.throttle.write_iops_device=8:16 100"),
                writes("{\"blockIO\": {\"weight\": 500, \"weightDevice\": [{\"major\": 8, \"minor\": 0, \"weight\": 600}],"
                        + " \"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 1048576}],"
                        + " \"throttleWriteIOPSDevice\": [{\"major\": 8, \"minor\": 16, \"rate\": 100}]}}"));
        assertEquals(List.of("hugetlb/hugetlb.2MB.limit_in_bytes=209715200"),
                writes("{\"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 209715200}]}"));
        assertEquals(List.of("net_cls/net_cls.classid=1048577", "net_prio/net_prio.ifpriomap=eth0 5"),
                writes("{\"network\": {\"classID\": 1048577, \"priorities\": [{\"name\": \"eth0\", \"priority\": 5}]}}"));
        assertEquals(List.of("rdma/rdma.max=mlx5_1 hca_handle=3 hca_object=10000"),
                writes("{\"rdma\": {\"mlx5_1\": {\"hcaHandles\": 3, \"hcaObjects\": 10000}}}"));
    }

    @Test
    void unifiedNeedsV2() {
        BerthException e = assertThrows(BerthException.class, () -> writes("{\"unified\": {\"memory.high\": \"1\"}}"));
        assertEquals(W + ".unified: needs cgroup v2, and this host's controllers are on cgroup v1", e.getMessage());
    }

    @Test
    void deviceRulesStartFromDenyAllThenConfigThenDefaultsThenLinuxDevices() {
        Resources r = TestResources.of("{\"devices\": [{\"allow\": false, \"access\": \"rwm\"},"
                + " {\"allow\": true, \"type\": \"b\", \"major\": 8, \"minor\": -1, \"access\": \"r\"}]}");
        List<Resources.DeviceRule> rules = DeviceRules.of(r.devices(),
                List.of(new Device("c", "/dev/fuse", 10, 229, null, null, null), new Device("p", "/dev/fifo", 0, 0, null, null, null)));
        List<String> w = TestResources.writes(V1Settings.of(r, rules, W));
        assertEquals("devices/devices.deny=a *:* rwm", w.get(0));
        assertEquals("devices/devices.deny=a *:* rwm", w.get(1));
        assertEquals("devices/devices.allow=b 8:* r", w.get(2));
        assertEquals("devices/devices.allow=c *:* m", w.get(3));
        assertEquals("devices/devices.allow=c 10:200 rwm", w.get(w.size() - 2));
        assertEquals("devices/devices.allow=c 10:229 rwm", w.get(w.size() - 1));
        assertEquals(3 + DeviceRules.DEFAULTS.size() + 1, w.size(), "no rule for a fifo");
    }
}
