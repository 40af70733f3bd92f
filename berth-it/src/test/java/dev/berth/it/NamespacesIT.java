package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** New namespaces of every type, namespaces shared with the host, and namespaces joined by path. */
class NamespacesIT extends ContainerTestBase {
    private static final String[] NS = {"pid", "uts", "ipc", "net", "mnt", "cgroup"};

    private static String hostNs(String ns) {
        return Host.nsLink(ProcessHandle.current().pid(), ns);
    }

    /** Prints ns_TYPE=type:[inode] for each namespace of the container's process. */
    private static String printNamespaces() {
        StringBuilder b = new StringBuilder();
        for (String ns : NS) b.append("echo ns_").append(ns).append("=$(readlink /proc/self/ns/").append(ns).append("); ");
        return b.toString();
    }

    @Test
    void newPidUtsIpcNetMountAndCgroupNamespaces() {
        Bundle b = sb.bundle("newns").namespace("cgroup").sh(printNamespaces() + """
                echo pid=$$
                echo ifaces=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\\n' ' ')
                echo cgroups=$(cut -d: -f3 /proc/self/cgroup | sort -u | tr '\\n' ' ')
                echo procs=$(ls /proc | grep -c '^[0-9]')
                """);
        Facts f = facts(b);
        for (String ns : NS) {
            String inside = f.get("ns_" + ns);
            assertTrue(inside.startsWith(ns + ":["), f.why("readlink /proc/self/ns/" + ns));
            assertNotEquals(hostNs(ns), inside, f.why("a new " + ns + " namespace differs from the host's " + hostNs(ns)));
        }
        assertEquals("1", f.get("pid"), f.why("the container's process is PID 1 of its PID namespace"));
        assertEquals("lo", f.get("ifaces").strip(), f.why("a new network namespace has only lo"));
        assertEquals("/", f.get("cgroups").strip(), f.why("in a new cgroup namespace every hierarchy's path is /"));
        assertTrue(Integer.parseInt(f.get("procs")) <= 4, f.why("/proc shows only the container's few processes"));
    }

    @Test
    void withoutANamespaceTheHostsIsShared() {
        Bundle b = sb.bundle("sharedns").withoutNamespace("network").withoutNamespace("ipc").sh(printNamespaces());
        Facts f = facts(b);
        assertEquals(hostNs("net"), f.get("ns_net"), f.why("no network namespace in config: the host's"));
        assertEquals(hostNs("ipc"), f.get("ns_ipc"), f.why("no ipc namespace in config: the host's"));
        assertNotEquals(hostNs("uts"), f.get("ns_uts"), f.why("the uts namespace is still new"));
    }

    @Test
    void withoutACgroupNamespaceTheProcessSeesItsCgroupsPath() {
        Bundle b = sb.bundle("cgpath").withoutNamespace("cgroup").sh("cat /proc/self/cgroup");
        String out = cli.run(b).assertOk().stdout();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            String path = line.split(":", 3)[2];
            assertTrue(path.equals(b.cgroupsPath()) || path.endsWith(b.cgroupsPath()),
                    "each hierarchy puts the process in linux.cgroupsPath " + b.cgroupsPath() + ": " + line + "\n" + out);
        }
    }

    @Test
    void createdContainerIsInItsCgroupsOnTheHost() throws Exception {
        Bundle b = sb.bundle("cghost").sh("exec sleep 1000");
        cli.create(b);
        long pid = (Long) cli.state(b.id()).get("pid");
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
        for (String line : lines) {
            String path = line.split(":", 3)[2];
            assertEquals(b.cgroupsPath(), path, "the init is in cgroupsPath in every hierarchy: " + lines);
        }
        assertTrue(Host.processesInCgroup(b.cgroupsPath()).contains(pid));
        assertTrue(!Host.cgroupDirs(b.cgroupsPath()).isEmpty(), "the cgroup directories exist");
    }

    /** runc 1.1 does not know time namespaces; the test runs when features lists "time". */
    @Test
    void timeNamespaceWithOffsets() throws Exception {
        assumeTrue(RuntimeUnderTest.supportsNamespace("time"), "the runtime's features do not list the time namespace");
        assumeTrue(Files.exists(Path.of("/proc/self/ns/time")), "the kernel has no time namespaces");
        Bundle b = sb.bundle("timens").namespace("time").sh(
                "echo ns_time=$(readlink /proc/self/ns/time); cat /proc/self/timens_offsets | "
                        + "while read clock s ns; do echo off_$clock=$s.$ns; done; echo uptime=$(cut -d' ' -f1 /proc/uptime)");
        b.linux().put("timeOffsets", Map.of("boottime", Map.of("secs", 1000000L, "nanosecs", 0L),
                "monotonic", Map.of("secs", 500000L, "nanosecs", 7L)));
        double hostUptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        Facts f = facts(b);
        assertNotEquals(hostNs("time"), f.get("ns_time"), f.why("a new time namespace"));
        assertEquals("1000000.0", f.get("off_boottime"), f.why("boottime offset"));
        assertEquals("500000.7", f.get("off_monotonic"), f.why("monotonic offset"));
        double inside = Double.parseDouble(f.get("uptime"));
        assertTrue(inside >= hostUptime + 1000000 - 1 && inside < hostUptime + 1000000 + 60,
                f.why("/proc/uptime is shifted by the boottime offset (host: " + hostUptime + ")"));
    }

    @Test
    void joinsANetworkNamespaceByPath() throws Exception {
        String name = sb.id("netns");
        Host.sh("ip netns add " + name);
        sb.onClose("ip netns delete " + name, () -> Host.trySh("ip netns delete " + name));
        Host.sh("ip netns exec " + name + " ip link set lo up");
        Path nsPath = Path.of("/var/run/netns", name);
        String inode = Host.sh("stat -L -c %i " + nsPath).stdout().trim();

        Bundle b = sb.bundle("joinnet").namespace("network", nsPath.toString()).sh(
                "echo ns_net=$(readlink /proc/self/ns/net); echo lo_flags=$(cat /sys/class/net/lo/flags)");
        Facts f = facts(b);
        assertEquals("net:[" + inode + "]", f.get("ns_net"), f.why("the container is in " + nsPath));
        assertEquals("0x9", f.get("lo_flags"), f.why("lo was set up in that namespace from the host (UP|LOOPBACK)"));
    }

    @Test
    void joinsAnotherContainersUtsAndIpcNamespacesByPath() {
        Bundle a = sb.bundle("owner").sh("exec sleep 1000");
        a.config().put("hostname", "owner-host");
        cli.create(a);
        long pid = (Long) cli.state(a.id()).get("pid");
        String utsA = Host.nsLink(pid, "uts");
        String ipcA = Host.nsLink(pid, "ipc");

        Bundle b = sb.bundle("joiner").sh("echo ns_uts=$(readlink /proc/self/ns/uts); echo ns_ipc=$(readlink /proc/self/ns/ipc); "
                + "echo host=$(hostname)");
        b.config().remove("hostname");
        b.namespace("uts", "/proc/" + pid + "/ns/uts").namespace("ipc", "/proc/" + pid + "/ns/ipc");
        Facts f = facts(b);
        assertEquals(utsA, f.get("ns_uts"), f.why("joined the first container's uts namespace"));
        assertEquals(ipcA, f.get("ns_ipc"), f.why("joined the first container's ipc namespace"));
        assertEquals("owner-host", f.get("host"), f.why("and sees its hostname"));
        assertTrue(Host.waitFor(Duration.ofSeconds(1), () -> Host.alive(pid)), "the first container is unaffected");
    }

    /**
     * A container in its own user namespace joins the PID namespace of a container without one
     * (owned by the host's user namespace) and still gets a /proc of that PID namespace: berth
     * mounts it in the PID namespace before entering the user namespace. runc 1.1 mounts proc
     * inside the user namespace, where the kernel refuses it.
     */
    @Test
    void ownUserNamespaceJoiningAHostOwnedPidNamespaceGetsItsProc() {
        Bundle a = sb.bundle("pidowner").sh("exec sleep 1000");
        cli.create(a);
        cli.call("start", a.id()).assertOk();
        long pid = (Long) cli.state(a.id()).get("pid");
        String pidNs = Host.nsLink(pid, "pid");

        Bundle b = sb.bundle("pidjoiner").withoutNamespace("pid").namespace("pid", "/proc/" + pid + "/ns/pid")
                .namespace("user").sh("""
                        echo ns_pid=$(readlink /proc/self/ns/pid)
                        echo ns_user=$(readlink /proc/self/ns/user)
                        echo first=$(tr '\\0' ' ' < /proc/1/cmdline)
                        echo uidmap=$(tr -s ' ' < /proc/self/uid_map)
                        echo proc=$(grep ' /proc ' /proc/self/mountinfo | cut -d' ' -f6)
                        echo keys=$(stat -c %t:%T /proc/keys)
                        """);
        List<Map<String, Object>> maps = List.of(Map.of("containerID", 0, "hostID", 300000, "size", 65536));
        b.linux().put("uidMappings", maps);
        b.linux().put("gidMappings", maps);
        Result r = cli.run(b);
        if (!RuntimeUnderTest.isBerth()) {
            assertNotEquals(0, r.exit(), "runc 1.1 cannot mount proc here; if it passes now, make this test "
                    + "expect success for every runtime\n" + r.describe());
            return;
        }
        Facts f = Facts.of(r.assertOk());
        assertEquals(pidNs, f.get("ns_pid"), f.why("the container joined the first container's PID namespace"));
        assertNotEquals(hostNs("user"), f.get("ns_user"), f.why("in a user namespace of its own"));
        assertEquals("0 300000 65536", f.get("uidmap").strip(), f.why("with its maps"));
        assertEquals("sleep 1000", f.get("first").strip(), f.why("/proc is that PID namespace's: PID 1 is the first container's"));
        assertNotNull(f.get("proc"), f.why("/proc is mounted"));
        assertTrue(f.get("proc").contains("rw"), f.why("with the mount's options"));
        assertEquals("1:3", f.get("keys"), f.why("maskedPaths still cover the prepared /proc (/dev/null on /proc/keys)"));
        assertTrue(Host.alive(pid), "the first container is unaffected");
    }
}
