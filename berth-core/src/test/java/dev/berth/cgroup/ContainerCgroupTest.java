package dev.berth.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container's cgroup over a fake cgroup file tree: a temporary directory with the files the kernel would have. */
class ContainerCgroupTest {
    @TempDir
    Path root;

    private Path file(Path dir, String name, String content) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), content);
    }

    /** A hybrid host: v1 memory, cpu,cpuacct, pids, freezer, and a controller-less unified mount. */
    private ContainerCgroup v1() throws IOException {
        List<Hierarchy> hs = List.of(
                new Hierarchy("memory", root.resolve("memory"), "/", false),
                new Hierarchy("cpu,cpuacct", root.resolve("cpu,cpuacct"), "/", false),
                new Hierarchy("pids", root.resolve("pids"), "/", false),
                new Hierarchy("freezer", root.resolve("freezer"), "/", false),
                new Hierarchy("", root.resolve("unified"), "/", true));
        for (String f : new String[] {"memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.stat"}) {
            file(root.resolve("memory/c1"), f, "");
        }
        file(root.resolve("cpu,cpuacct/c1"), "cpu.shares", "1024");
        file(root.resolve("pids/c1"), "pids.max", "max");
        file(root.resolve("freezer/c1"), "freezer.state", "THAWED");
        Files.createDirectories(root.resolve("unified/c1"));
        List<Path> dirs = List.of(root.resolve("memory/c1"), root.resolve("cpu,cpuacct/c1"), root.resolve("pids/c1"),
                root.resolve("freezer/c1"), root.resolve("unified/c1"));
        assertFalse(ContainerCgroup.isUnified(hs));
        return ContainerCgroup.of(dirs, hs);
    }

    /** A pure v2 host: the container at /a/c1, controllers listed at the top and in a. */
    private ContainerCgroup v2() throws IOException {
        List<Hierarchy> hs = List.of(new Hierarchy("", root, "/", true),
                new Hierarchy("name=systemd", root.resolve("../elsewhere"), "/", false));
        file(root, "cgroup.controllers", "cpuset cpu io memory pids");
        file(root, "cgroup.subtree_control", "");
        file(root.resolve("a"), "cgroup.controllers", "cpu memory pids");
        file(root.resolve("a"), "cgroup.subtree_control", "");
        Path c1 = root.resolve("a/c1");
        for (String f : new String[] {"memory.max", "memory.swap.max", "cpu.weight", "cpu.max", "pids.max", "io.weight",
            "cgroup.freeze"}) {
            file(c1, f, "");
        }
        file(c1, "cgroup.events", "populated 1\nfrozen 0\n");
        assertTrue(ContainerCgroup.isUnified(hs));
        return ContainerCgroup.of(List.of(c1), hs);
    }

    private String read(String rel) throws IOException {
        return Files.readString(root.resolve(rel));
    }

    @Test
    void v1WritesGoToEachControllersDirectory() throws IOException {
        ContainerCgroup cg = v1();
        assertFalse(cg.unified());
        assertEquals(root.resolve("cpu,cpuacct/c1"), cg.dir("cpuacct"));
        cg.apply(V1Settings.of(TestResources.of(
                "{\"memory\": {\"limit\": 1000, \"swap\": 2000}, \"cpu\": {\"shares\": 256}, \"pids\": {\"limit\": 7}}"),
                null, "resources"));
        assertEquals("1000", read("memory/c1/memory.limit_in_bytes"));
        assertEquals("2000", read("memory/c1/memory.memsw.limit_in_bytes"));
        assertEquals("256", read("cpu,cpuacct/c1/cpu.shares"));
        assertEquals("7", read("pids/c1/pids.max"));
    }

    @Test
    void anUnlimitedMemoryLimitLiftsTheSwapLimitWhereSwapIsAccounted() throws IOException {
        ContainerCgroup cg = v1();
        Files.writeString(root.resolve("memory/c1/memory.memsw.limit_in_bytes"), "1000");
        cg.apply(V1Settings.of(TestResources.of("{\"memory\": {\"limit\": -1}}"), null, "resources"));
        assertEquals("-1", read("memory/c1/memory.memsw.limit_in_bytes"));
        Files.delete(root.resolve("memory/c1/memory.memsw.limit_in_bytes"));
        cg.apply(V1Settings.of(TestResources.of("{\"memory\": {\"limit\": -1}}"), null, "resources"));
        assertEquals("-1", read("memory/c1/memory.limit_in_bytes"), "no swap accounting: the optional write is skipped");
    }

    @Test
    void aControllerThatIsNotMountedIsAnErrorNamingTheField() throws IOException {
        ContainerCgroup cg = v1();
        BerthException e = assertThrows(BerthException.class, () -> cg.apply(V1Settings.of(
                TestResources.of("{\"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 1}]}"), null, "resources")));
        assertEquals("resources.hugepageLimits: the hugetlb cgroup controller is not mounted on this host", e.getMessage());
        BerthException missing = assertThrows(BerthException.class, () -> cg.apply(V1Settings.of(
                TestResources.of("{\"memory\": {\"reservation\": 5}}"), null, "resources")));
        assertTrue(missing.getMessage().startsWith("resources.memory.reservation: "), missing.getMessage());
        assertTrue(missing.getMessage().contains("memory.soft_limit_in_bytes does not exist"), missing.getMessage());
    }

    @Test
    void v2EnablesControllersDownThePathAndWritesOneDirectory() throws IOException {
        ContainerCgroup cg = v2();
        assertTrue(cg.unified());
        cg.enableControllers();
        assertEquals("+cpuset +cpu +io +memory +pids", read("cgroup.subtree_control"));
        assertEquals("+cpu +memory +pids", read("a/cgroup.subtree_control"));
        cg.apply(V2Settings.of(TestResources.of("{\"memory\": {\"limit\": 4096, \"swap\": 8192},"
                + " \"cpu\": {\"shares\": 2, \"quota\": 1000, \"period\": 10000}, \"pids\": {\"limit\": 3},"
                + " \"blockIO\": {\"weight\": 10}}"), "resources"));
        assertEquals("4096", read("a/c1/memory.max"));
        assertEquals("4096", read("a/c1/memory.swap.max"));
        assertEquals("1", read("a/c1/cpu.weight"));
        assertEquals("1000 10000", read("a/c1/cpu.max"));
        assertEquals("3", read("a/c1/pids.max"));
        assertEquals("1", read("a/c1/io.weight"), "no io.bfq.weight here: io.weight, converted");
    }

    @Test
    void checkBeforeUpdateRefusesALimitBelowTheUsage() throws IOException {
        ContainerCgroup cg = v1();
        file(root.resolve("memory/c1"), "memory.usage_in_bytes", "5000\n");
        BerthException e = assertThrows(BerthException.class, () -> cg.checkMemoryBeforeUpdate(TestResources.of(
                "{\"memory\": {\"limit\": 4096, \"checkBeforeUpdate\": true}}"), "resources"));
        assertEquals("resources.memory.limit: 4096 is below the current usage 5000 (memory.checkBeforeUpdate)",
                e.getMessage());
        cg.checkMemoryBeforeUpdate(TestResources.of("{\"memory\": {\"limit\": 8192, \"checkBeforeUpdate\": true}}"),
                "resources");
        cg.checkMemoryBeforeUpdate(TestResources.of("{\"memory\": {\"limit\": 4096}}"), "resources");
    }

    @Test
    void v1FreezerAndStatus() throws IOException {
        ContainerCgroup cg = v1();
        assertFalse(cg.frozen());
        Freezer.freeze(cg);
        assertEquals("FROZEN", read("freezer/c1/freezer.state"));
        assertTrue(cg.frozen());
        Freezer.thaw(cg);
        assertEquals("THAWED", read("freezer/c1/freezer.state"));
    }

    @Test
    void v2FreezeWaitsForTheKernelToSayFrozen() throws IOException {
        ContainerCgroup cg = v2();
        // The fake kernel has finished already: cgroup.events says frozen.
        Files.writeString(root.resolve("a/c1/cgroup.events"), "populated 1\nfrozen 1\n");
        Freezer.freeze(cg);
        assertEquals("1", read("a/c1/cgroup.freeze"));
        assertTrue(cg.frozen());
        Files.writeString(root.resolve("a/c1/cgroup.events"), "populated 1\nfrozen 0\n");
        Freezer.thaw(cg);
        assertEquals("0", read("a/c1/cgroup.freeze"));
    }

    @Test
    void statsAndOomKillsV1() throws IOException {
        ContainerCgroup cg = v1();
        file(root.resolve("memory/c1"), "memory.usage_in_bytes", "4096\n");
        Files.writeString(root.resolve("memory/c1/memory.limit_in_bytes"), "9223372036854771712\n");
        Files.writeString(root.resolve("memory/c1/memory.stat"), "cache 0\nrss 4096\ntotal_cache 8192\n");
        file(root.resolve("memory/c1"), "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        file(root.resolve("cpu,cpuacct/c1"), "cpuacct.usage", "123456\n");
        file(root.resolve("cpu,cpuacct/c1"), "cpuacct.usage_percpu", "100000 23456 \n");
        file(root.resolve("cpu,cpuacct/c1"), "cpuacct.stat", "user 3\nsystem 1\n");
        file(root.resolve("pids/c1"), "pids.current", "2\n");
        var data = CgroupStats.read(cg);
        @SuppressWarnings("unchecked")
        var cpu = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) data.get("cpu")).get("usage");
        assertEquals(123456L, cpu.get("total"));
        assertEquals(List.of(100000L, 23456L), cpu.get("percpu"));
        assertEquals(30_000_000L, cpu.get("user"));
        assertEquals(10_000_000L, cpu.get("kernel"));
        @SuppressWarnings("unchecked")
        var mem = (java.util.Map<String, Object>) data.get("memory");
        assertEquals(8192L, mem.get("cache"));
        assertEquals(9223372036854771712L, ((java.util.Map<?, ?>) mem.get("usage")).get("limit"));
        assertEquals(4096L, ((java.util.Map<?, ?>) mem.get("usage")).get("usage"));
        assertEquals(java.math.BigInteger.TWO.pow(64).subtract(java.math.BigInteger.ONE),
                ((java.util.Map<?, ?>) data.get("pids")).get("limit"), "pids.max 'max' as runc's MaxUint64");
        assertEquals(2L, CgroupStats.oomKills(cg));
    }

    @Test
    void statsV2() throws IOException {
        ContainerCgroup cg = v2();
        Files.writeString(root.resolve("a/c1/memory.max"), "max\n");
        file(root.resolve("a/c1"), "memory.current", "8192\n");
        file(root.resolve("a/c1"), "cpu.stat", "usage_usec 50\nuser_usec 30\nsystem_usec 20\nnr_periods 4\n");
        file(root.resolve("a/c1"), "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        var data = CgroupStats.read(cg);
        var usage = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) data.get("cpu")).get("usage");
        assertEquals(50_000L, usage.get("total"));
        assertEquals(20_000L, usage.get("kernel"));
        assertEquals(1L, CgroupStats.oomKills(cg));
    }
}
