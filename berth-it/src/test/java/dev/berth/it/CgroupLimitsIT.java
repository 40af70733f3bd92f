package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import dev.berth.it.support.HostCgroups;
import dev.berth.it.support.Leftovers;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * linux.resources on cgroup v1 and on a pure v2 host (the qemu lane, lanes/cgroup2.sh): each limit is read back from inside the container (its first
 * action, so the limit was there before user code ran) and from the host's cgroup files; a
 * memory hog is OOM-killed at its limit, a fork bomb stops at pids.limit, device rules decide
 * which device files open; values the kernel refuses fail create and leave nothing behind.
 */
class CgroupLimitsIT extends ContainerTestBase {
    private static final long MIB = 1024 * 1024;

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static String show(String key, String path) {
        return "echo " + key + "=$(cat " + path + ")\n";
    }

    @Test
    void memoryCpuPidsCpusetAndBlkioAreSetBeforeTheProcessRuns() {
        Bundle b = sb.bundle("limits");
        Map<String, Object> res = b.obj("linux", "resources");
        res.put("memory", map("limit", 64 * MIB, "reservation", 32 * MIB, "swap", 96 * MIB));
        res.put("cpu", map("shares", 512L, "quota", 30000L, "period", 100000L, "cpus", "0", "mems", "0"));
        res.put("pids", map("limit", 64L));
        String dev = HostCgroups.someBlockDevice();
        Map<String, Object> blkio = map("weight", 300L);
        if (dev != null) {
            String[] mm = dev.split(":");
            blkio.put("throttleReadBpsDevice", List.of(map("major", Long.parseLong(mm[0]),
                    "minor", Long.parseLong(mm[1]), "rate", 10 * MIB)));
        }
        res.put("blockIO", blkio);
        if (HostCgroups.isV1()) {
            assertV1Limits(b, dev);
        } else {
            assertV2Limits(b, dev);
        }
    }

    private void assertV1Limits(Bundle b, String dev) {
        b.sh("{\n" + show("mem", "/sys/fs/cgroup/memory/memory.limit_in_bytes")
                + show("soft", "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes")
                + show("memsw", "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")
                + show("shares", "/sys/fs/cgroup/cpu,cpuacct/cpu.shares 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.shares")
                + show("quota", "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us")
                + show("pids", "/sys/fs/cgroup/pids/pids.max")
                + show("cpus", "/sys/fs/cgroup/cpuset/cpuset.cpus")
                + show("throttle", "/sys/fs/cgroup/blkio/blkio.throttle.read_bps_device")
                + "echo end=1\n} > /facts; sleep 1000\n");
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        Facts f = factsFile(b);
        assertEquals(Long.toString(64 * MIB), f.get("mem"), f.why("memory.limit inside"));
        assertEquals(Long.toString(32 * MIB), f.get("soft"), f.why("memory.reservation inside"));
        assertEquals(Long.toString(96 * MIB), f.get("memsw"), f.why("memory.swap inside"));
        assertEquals("512", f.get("shares"), f.why("cpu.shares inside"));
        assertEquals("30000", f.get("quota"), f.why("cpu.quota inside"));
        assertEquals("64", f.get("pids"), f.why("pids.limit inside"));
        assertEquals("0", f.get("cpus"), f.why("cpu.cpus inside"));
        if (dev != null) assertEquals(dev + " " + 10 * MIB, f.get("throttle"), f.why("throttleReadBpsDevice inside"));

        assertEquals(Long.toString(64 * MIB), HostCgroups.read(b, "memory", "memory.limit_in_bytes"));
        assertEquals(Long.toString(96 * MIB), HostCgroups.read(b, "memory", "memory.memsw.limit_in_bytes"));
        assertEquals("512", HostCgroups.read(b, "cpu", "cpu.shares"));
        assertEquals("100000", HostCgroups.read(b, "cpu", "cpu.cfs_period_us"));
        assertEquals("30000", HostCgroups.read(b, "cpu", "cpu.cfs_quota_us"));
        assertEquals("64", HostCgroups.read(b, "pids", "pids.max"));
        assertEquals("0", HostCgroups.read(b, "cpuset", "cpuset.mems"));
        String weight = Files.exists(HostCgroups.dir(b, "blkio").resolve("blkio.weight"))
                ? HostCgroups.read(b, "blkio", "blkio.weight") : HostCgroups.read(b, "blkio", "blkio.bfq.weight");
        assertTrue(weight.startsWith("300") || weight.contains(" 300"), "blockIO.weight: " + weight);
    }

    /**
     * The same limits in v2's files, converted as runc converts them: swap is memory+swap minus
     * memory, shares 512 are cpu.weight 1 + (512 - 2) * 9999 / 262142 = 20, quota and period are
     * one cpu.max line. The container sees its own cgroup at /sys/fs/cgroup.
     */
    private void assertV2Limits(Bundle b, String dev) {
        b.sh("{\n" + show("mem", "/sys/fs/cgroup/memory.max")
                + show("low", "/sys/fs/cgroup/memory.low")
                + show("swap", "/sys/fs/cgroup/memory.swap.max")
                + show("weight", "/sys/fs/cgroup/cpu.weight")
                + show("cpumax", "/sys/fs/cgroup/cpu.max")
                + show("pids", "/sys/fs/cgroup/pids.max")
                + show("cpus", "/sys/fs/cgroup/cpuset.cpus")
                + show("iomax", "/sys/fs/cgroup/io.max")
                + "echo end=1\n} > /facts; sleep 1000\n");
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        Facts f = factsFile(b);
        assertEquals(Long.toString(64 * MIB), f.get("mem"), f.why("memory.limit inside"));
        assertEquals(Long.toString(32 * MIB), f.get("low"), f.why("memory.reservation inside"));
        assertEquals(Long.toString(32 * MIB), f.get("swap"), f.why("memory.swap - memory.limit inside"));
        assertEquals("20", f.get("weight"), f.why("cpu.shares as cpu.weight inside"));
        assertEquals("30000 100000", f.get("cpumax"), f.why("cpu.quota and cpu.period inside"));
        assertEquals("64", f.get("pids"), f.why("pids.limit inside"));
        assertEquals("0", f.get("cpus"), f.why("cpu.cpus inside"));
        if (dev != null) {
            assertEquals(dev + " rbps=" + 10 * MIB + " wbps=max riops=max wiops=max", f.get("iomax"),
                    f.why("throttleReadBpsDevice inside"));
        }

        assertEquals(Long.toString(64 * MIB), HostCgroups.read(b, "memory", "memory.max"));
        assertEquals(Long.toString(32 * MIB), HostCgroups.read(b, "memory", "memory.low"));
        assertEquals(Long.toString(32 * MIB), HostCgroups.read(b, "memory", "memory.swap.max"));
        assertEquals("20", HostCgroups.read(b, "cpu", "cpu.weight"));
        assertEquals("30000 100000", HostCgroups.read(b, "cpu", "cpu.max"));
        assertEquals("64", HostCgroups.read(b, "pids", "pids.max"));
        assertEquals("0", HostCgroups.read(b, "cpuset", "cpuset.mems"));
        // blockIO.weight 300: io.bfq.weight where BFQ schedules the disks, else io.weight
        // 1 + (300 - 10) * 9999 / 990 = 2930.
        java.nio.file.Path bfq = HostCgroups.dir(b, "io").resolve("io.bfq.weight");
        String weight = Files.exists(bfq) ? HostCgroups.read(b, "io", "io.bfq.weight") : HostCgroups.read(b, "io", "io.weight");
        assertTrue(weight.equals("default 300") || weight.equals("default 2930"), "blockIO.weight: " + weight);
    }

    /** The key=value lines a running container wrote to /facts, once it wrote "end=1". */
    static Facts factsFile(Bundle b) {
        java.nio.file.Path file = b.file("facts");
        Host.waitFor(java.time.Duration.ofSeconds(10), () -> {
            try {
                return Files.exists(file) && Files.readString(file).contains("end=1");
            } catch (IOException e) {
                return false;
            }
        });
        String text;
        try {
            text = Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            text = "";
        }
        return Facts.anyExit(new Result(List.of("cat", file.toString()), 0, text, "", ""));
    }

    @Test
    void aMemoryHogIsOomKilledAtItsLimit() {
        Bundle b = sb.bundle("oom").sh("x=0123456789abcdef; while :; do x=$x$x; done");
        b.obj("linux", "resources").put("memory", map("limit", 32 * MIB, "swap", 32 * MIB));
        Result r = cli.run(b);
        assertEquals(137, r.exit(), "killed by SIGKILL (128+9) from the OOM killer\n" + r.describe());
    }

    @Test
    void aForkBombStopsAtThePidsLimit() {
        Bundle b = sb.bundle("forkbomb").sh(
                "i=0; while [ $i -lt 40 ]; do sleep 60 & i=$((i+1)); echo started=$i; done; echo all=started");
        b.obj("linux", "resources").put("pids", map("limit", 10L));
        Result r = cli.run(b);
        assertNotEquals(0, r.exit(), "the shell cannot fork past pids.limit\n" + r.describe());
        int started = 0;
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("started=")) started = Integer.parseInt(line.substring(8).trim());
        }
        assertTrue(started < 10, "at most pids.limit - 1 children next to the shell, got " + started + "\n" + r.describe());
        assertTrue(!r.stdout().contains("all=started"), r.describe());
    }

    /**
     * A character device of an unused major (240, "local/experimental use") made in the rootfs
     * by the host: the devices cgroup says EPERM when no rule allows it; when one does, the open
     * reaches the kernel, which finds no driver (ENXIO).
     */
    @Test
    void deviceRulesDecideWhichDevicesOpen() throws Exception {
        Bundle denied = deviceBundle("devdeny", false);
        Facts f = facts(denied);
        assertTrue(f.get("open").contains("Operation not permitted"), f.why("no rule allows c 240:0"));
        assertTrue(f.get("null").isEmpty(), f.why("runc's default rules allow /dev/null"));

        Bundle allowed = deviceBundle("devallow", true);
        Facts g = facts(allowed);
        assertTrue(g.get("open").contains("No such device or address"), g.why("linux.resources.devices allows c 240:0 r"));
    }

    private Bundle deviceBundle(String name, boolean allow) throws IOException, InterruptedException {
        Bundle b = sb.bundle(name).sh("echo open=$(cat /dev240 2>&1); echo null=$(cat /dev/null 2>&1)");
        Process p = new ProcessBuilder("mknod", b.file("dev240").toString(), "c", "240", "0").inheritIO().start();
        assertEquals(0, p.waitFor(), "mknod in the bundle's rootfs");
        List<Object> rules = new ArrayList<>();
        rules.add(map("allow", false, "access", "rwm"));
        if (allow) rules.add(map("allow", true, "type", "c", "major", 240L, "minor", 0L, "access", "r"));
        b.obj("linux", "resources").put("devices", rules);
        return b;
    }

    @Test
    void aValueTheKernelRefusesFailsCreateAndLeavesNothing() {
        Bundle b = sb.bundle("badcpus").sh("true");
        b.obj("linux", "resources").put("cpu", map("cpus", "999"));
        b.write();
        Result r = cli.exec(cli.withBundle("create", b)).run();
        assertEquals(1, r.exit(), r.describe());
        if (RuntimeUnderTest.isBerth()) assertTrue(r.allText().contains("linux.resources.cpu.cpus"), r.describe());
        Leftovers.assertNone(cli, b, RuntimeUnderTest.isBerth());
    }

    @Test
    void swapBelowTheMemoryLimitIsRefused() {
        Bundle b = sb.bundle("badswap").sh("true");
        b.obj("linux", "resources").put("memory", map("limit", 64 * MIB, "swap", 32 * MIB));
        b.write();
        Result r = cli.exec(cli.withBundle("create", b)).run();
        assertEquals(1, r.exit(), r.describe());
        if (RuntimeUnderTest.isBerth()) assertTrue(r.allText().contains("linux.resources.memory.swap"), r.describe());
        Leftovers.assertNone(cli, b, RuntimeUnderTest.isBerth());
    }

    /** runc 1.1 with its cgroupfs driver takes "a:b:c" as a path; berth refuses systemd's form by name. */
    @Test
    void theSystemdFormOfCgroupsPathNamesTheFlagItNeeds() {
        assumeTrue(RuntimeUnderTest.isBerth(), "runc's cgroupfs driver takes slice:prefix:name as a plain path");
        Bundle b = sb.bundle("systemdpath").sh("true");
        b.linux().put("cgroupsPath", "system.slice:berth:" + b.id());
        b.write();
        Result r = cli.exec(cli.withBundle("create", b)).run();
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.allText().contains("linux.cgroupsPath") && r.allText().contains("--systemd-cgroup"), r.describe());
        Leftovers.assertNone(cli, b);
    }
}
