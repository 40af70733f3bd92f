package dev.berth.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CgroupsTest {
    private static final List<String> MOUNTINFO = List.of(
            "30 25 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec - tmpfs tmpfs ro,mode=755",
            "31 30 0:27 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,memory",
            "32 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct",
            "33 30 0:29 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd",
            "34 30 0:30 /inner /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate",
            "35 25 0:31 / /proc rw - proc proc rw");

    @Test
    void findsV1AndV2Hierarchies() {
        List<Hierarchy> h = Cgroups.parseMountinfo(MOUNTINFO);
        assertEquals(List.of(
                new Hierarchy("memory", Path.of("/sys/fs/cgroup/memory"), "/", false),
                new Hierarchy("cpu,cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct"), "/", false),
                new Hierarchy("name=systemd", Path.of("/sys/fs/cgroup/systemd"), "/", false),
                new Hierarchy("", Path.of("/sys/fs/cgroup/unified"), "/inner", true)), h);
    }

    @Test
    void absoluteAndRelativePaths() {
        Cgroups c = new Cgroups(Cgroups.parseMountinfo(MOUNTINFO),
                Cgroups.parseProcCgroup(List.of("4:memory:/user/me", "3:cpu,cpuacct:/", "0::/inner/x")));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/memory/berth/c1"), Path.of("/sys/fs/cgroup/cpu,cpuacct/berth/c1"),
                Path.of("/sys/fs/cgroup/systemd/berth/c1"), Path.of("/sys/fs/cgroup/unified/berth/c1")),
                c.dirsFor("/berth/c1"));
        // Relative: below berth's own cgroup in each hierarchy; a cgroup-namespaced v2 mount
        // root is taken off.
        assertEquals(List.of(Path.of("/sys/fs/cgroup/memory/user/me/c1"), Path.of("/sys/fs/cgroup/cpu,cpuacct/c1"),
                Path.of("/sys/fs/cgroup/systemd/c1"), Path.of("/sys/fs/cgroup/unified/x/c1")),
                c.dirsFor("c1"));
    }
}
