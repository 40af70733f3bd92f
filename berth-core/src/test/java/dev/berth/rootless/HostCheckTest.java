package dev.berth.rootless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCheckTest {
    @TempDir
    Path host;

    private void put(String rel, String text) throws Exception {
        Path p = host.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private HostCheck.Finding finding(List<HostCheck.Finding> all, String topic) {
        for (HostCheck.Finding f : all) {
            if (f.topic().equals(topic)) return f;
        }
        throw new AssertionError("no finding " + topic + " in " + all);
    }

    @Test
    void aUserWithoutRangesOrToolsGetsTheCommandsThatFixIt() throws Exception {
        put("proc/sys/user/max_user_namespaces", "0\n");
        put("etc/subuid", "bob:100000:65536\n");
        put("etc/subgid", "alice:100000:1000\n");
        Path xdg = Files.createDirectories(host.resolve("run/user/1001"));
        List<HostCheck.Finding> all = new HostCheck(host, 1001, "alice", "5.10.0-19-amd64",
                Map.of("XDG_RUNTIME_DIR", xdg.toString())).run();

        HostCheck.Finding userns = finding(all, "user namespaces");
        assertFalse(userns.ok());
        assertEquals("sysctl -w user.max_user_namespaces=15000", userns.fix());
        HostCheck.Finding subuid = finding(all, "subuid");
        assertFalse(subuid.ok());
        assertTrue(subuid.fix().startsWith("usermod --add-subuids 100000-165535 alice"), subuid.fix());
        HostCheck.Finding subgid = finding(all, "subgid");
        assertFalse(subgid.ok());
        assertTrue(subgid.detail().contains("1000 ids"), subgid.detail());
        assertEquals("apt-get install uidmap", finding(all, "newuidmap").fix());
        assertFalse(finding(all, "idmapped mounts").ok());
        assertFalse(finding(all, "cgroups").ok());
        assertTrue(finding(all, "state directory").ok());
    }

    @Test
    void aPreparedHostPasses() throws Exception {
        put("proc/sys/user/max_user_namespaces", "15000\n");
        put("etc/subuid", "alice:100000:65536\n");
        put("etc/subgid", "1001:100000:65536\n");
        List<HostCheck.Finding> all = new HostCheck(host, 1001, "alice", "6.1.0-18-amd64",
                Map.of("XDG_RUNTIME_DIR", host.toString())).run();
        assertTrue(finding(all, "user namespaces").ok());
        assertTrue(finding(all, "subuid").ok());
        assertTrue(finding(all, "subgid").ok(), "matched by number");
        assertTrue(finding(all, "idmapped mounts").ok());
        assertFalse(finding(all, "state directory").detail().isEmpty());
    }

    /** doctor applies create's rule: the directory and its three delegated files are the user's. */
    @Test
    void aDelegatedSubtreeIsFoundAsCreateFindsIt() throws Exception {
        put("sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
        put("sys/fs/cgroup/user/alice/cgroup.controllers", "memory pids\n");
        for (String f : List.of("cgroup.procs", "cgroup.subtree_control", "cgroup.threads")) {
            put("sys/fs/cgroup/user/alice/" + f, "");
            put("sys/fs/cgroup/user/alice/shell/" + f, "");
        }
        put("proc/self/cgroup", "0::/user/alice/shell\n");
        Path alice = host.resolve("sys/fs/cgroup/user/alice");
        java.util.Set<Path> notHers = new java.util.HashSet<>();
        java.util.function.ToIntFunction<Path> owner = p -> p.startsWith(alice) && !notHers.contains(p) ? 1001 : 0;

        HostCheck.Finding ok = finding(new HostCheck(host, 1001, "alice", "6.1", Map.of(), owner).run(), "cgroups");
        assertTrue(ok.ok(), ok.detail());
        assertTrue(ok.detail().contains("subtree /user/alice is delegated (controllers: memory pids)"), ok.detail());

        notHers.add(alice.resolve("shell/cgroup.subtree_control"));
        notHers.add(alice.resolve("cgroup.subtree_control"));
        HostCheck.Finding not = finding(new HostCheck(host, 1001, "alice", "6.1", Map.of(), owner).run(), "cgroups");
        assertFalse(not.ok(), "cgroup.procs alone is not a delegation");
        assertTrue(not.detail().contains("/user/alice/shell is not delegated to uid 1001"), not.detail());
        assertTrue(not.fix().startsWith("as root: chown 1001 " + alice.resolve("shell") + " "), not.fix());
    }

    @Test
    void withoutXdgRuntimeDirTheUserIsToldToPassRoot() {
        HostCheck.Finding f = finding(new HostCheck(host, 1001, "alice", "6.1", Map.of()).run(), "state directory");
        assertFalse(f.ok());
        assertTrue(f.detail().contains("--root"), f.detail());
    }

    @Test
    void kernelVersions() {
        assertEquals(6, HostCheck.version("6.18.44-fc-v1045")[0]);
        assertEquals(18, HostCheck.version("6.18.44-fc-v1045")[1]);
        assertEquals(12, HostCheck.version("5.12")[1]);
    }
}
