package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import dev.berth.it.support.HostCgroups;
import dev.berth.it.support.Json;
import dev.berth.it.support.Result;
import dev.berth.it.support.RootlessBundle;
import dev.berth.it.support.RuntimeUnderTest;
import dev.berth.it.support.Unprivileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * cgroups of rootless containers on a pure cgroup v2 host (the qemu lane, lanes/cgroup2.sh, runs
 * these): a user with a delegated subtree gets the container's cgroup inside it, limits and all;
 * a user without one gets no cgroup and one warning, and the container runs.
 */
class RootlessCgroupIT extends ContainerTestBase {
    private static final long MIB = 1024 * 1024;
    private Path runtimeDir;

    @BeforeEach
    void user() {
        assumeTrue(!HostCgroups.isV1(), "needs a pure cgroup v2 host: make v2-test runs this in its guest");
        assumeTrue(Unprivileged.ensure(), "needs root to create the unprivileged test user");
        assumeTrue(Host.trySh("command -v newuidmap && command -v newgidmap").exit() == 0,
                "newuidmap/newgidmap missing (Debian package uidmap; make test installs it)");
        runtimeDir = sb.mkdir("xdg");
        Unprivileged.own(runtimeDir, cli.root(), cli.log());
    }

    /**
     * A cgroup delegated to the user as systemd's Delegate= leaves it: the directory and its
     * cgroup.procs, cgroup.subtree_control and cgroup.threads belong to the user, the parent (the
     * root) passes memory and pids on, and the user's processes live in a leaf below ("session"),
     * because a cgroup with processes of its own cannot pass controllers on. Returns the top.
     */
    private Path delegate() {
        Path mount = Host.cgroupHierarchies().get(0);
        Path top = mount.resolve(sb.id("deleg"));
        Path leaf = top.resolve("session");
        Host.sh("echo '+memory +pids' > " + mount + "/cgroup.subtree_control");
        Host.sh("mkdir -p " + leaf);
        sb.onClose("remove " + top, () -> Host.trySh("find " + top + " -depth -type d -exec rmdir {} \\;"));
        for (Path d : List.of(top, leaf)) {
            Host.sh("chown " + Unprivileged.NAME + " " + d + " " + d + "/cgroup.procs " + d + "/cgroup.subtree_control "
                    + d + "/cgroup.threads");
        }
        return top;
    }

    /** The runtime run as the user from {@code leaf} (root moves the shell there, then drops to the user). */
    private Result asUserIn(Path leaf, String... args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                leaf.toString()));
        argv.addAll(Unprivileged.as(runtimeDir, cli.argv(args)));
        return Exec.of(argv).scratch(sb.mkdir("io-user")).log(cli.log()).run();
    }

    @Test
    void aDelegatedSubtreeHoldsTheContainersCgroupWithItsLimits() throws Exception {
        Path top = delegate();
        Path leaf = top.resolve("session");
        String cgroupsPath = "/" + top.getFileName() + "/ctr";
        Bundle b = RootlessBundle.of(sb, "deleg", """
                {
                echo cg=$(cat /proc/self/cgroup)
                echo pids=$(cat /sys/fs/cgroup/pids.max)
                echo mem=$(cat /sys/fs/cgroup/memory.max)
                } > /facts
                (i=0; while [ $i -lt 40 ]; do sleep 60 & i=$((i+1)); echo started=$i; done) > /forks 2>&1
                echo end=1 >> /facts
                exec sleep 1000
                """);
        b.linux().put("cgroupsPath", cgroupsPath);
        b.obj("linux", "resources").put("pids", Map.of("limit", 16L));
        b.obj("linux", "resources").put("memory", Map.of("limit", 64 * MIB));
        b.namespace("cgroup").withoutMount("/sys/fs/cgroup")
                .mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        String[] create = cli.withBundle("create", b);
        Unprivileged.own(b.dir());
        sb.track(b.id());

        asUserIn(leaf, create).assertOk();
        Path dir = top.resolve("ctr");
        assertEquals("16", Files.readString(dir.resolve("pids.max")).strip(), "pids.limit in the delegated subtree");
        assertEquals(Long.toString(64 * MIB), Files.readString(dir.resolve("memory.max")).strip(), "memory.limit there");
        Map<String, Object> state = Json.parseObject(asUserIn(leaf, "state", b.id()).assertOk().stdout());
        long pid = ((Number) state.get("pid")).longValue();
        assertEquals("0::" + cgroupsPath, Files.readString(Path.of("/proc/" + pid + "/cgroup")).strip(),
                "the container's init is in its cgroup inside the user's subtree");

        asUserIn(leaf, "start", b.id()).assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(30), () -> read(b.file("facts")).contains("end=1")),
                "the container ran to its end marker: " + read(b.file("facts")) + read(b.file("forks")));
        Facts f = Facts.anyExit(new Result(List.of("cat", "/facts"), 0, read(b.file("facts")), "", ""));
        assertEquals("0::/", f.get("cg"), f.why("the container's cgroup namespace starts at its own cgroup"));
        assertEquals("16", f.get("pids"), f.why("pids.max inside"));
        assertEquals(Long.toString(64 * MIB), f.get("mem"), f.why("memory.max inside"));
        int started = 0;
        for (String line : read(b.file("forks")).split("\n")) {
            if (line.startsWith("started=")) started = Integer.parseInt(line.substring(8).strip());
        }
        assertTrue(started > 0 && started < 16, "the forks stop below pids.max: " + read(b.file("forks")));
        assertFalse(read(b.file("forks")).contains("started=40"), read(b.file("forks")));

        asUserIn(leaf, "delete", "--force", b.id()).assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(5), () -> !Files.exists(dir)), "delete removes the cgroup");
    }

    /**
     * runc 1.1 on v2 refuses limits for a rootless container without a delegated cgroup ("rootless
     * needs no limits + no cgrouppath when no permission is granted for cgroups"); berth runs it
     * without, saying so once, as both runtimes do on a v1 host.
     */
    @Test
    void withoutADelegatedSubtreeOneWarningAndNoCgroup() {
        assumeTrue(RuntimeUnderTest.isBerth(), "runc 1.1 refuses limits here instead (see above)");
        Bundle b = RootlessBundle.of(sb, "nodeleg", "echo cg=$(cat /proc/self/cgroup)");
        // Both a cgroupsPath (the suite's "/ID") and a limit, and still one warning.
        b.linux().put("cgroupsPath", b.cgroupsPath());
        b.obj("linux", "resources").put("pids", Map.of("limit", 16L));
        b.withoutNamespace("cgroup");
        String[] run = cli.withBundle("run", b);
        Unprivileged.own(b.dir());
        sb.track(b.id());
        Result r = Exec.of(Unprivileged.as(runtimeDir, cli.argv(run))).scratch(sb.mkdir("io-user")).log(cli.log()).run();
        Facts f = Facts.of(r);
        assertEquals("0::/", f.get("cg"), f.why("the container stays in the caller's cgroup (the root's here)"));
        assertEquals(1, r.allText().split("linux.resources", -1).length - 1, "one warning about the limits\n" + r.describe());
        assertEquals(1, r.log().split("\"level\":\"warning\"", -1).length - 1, "and no other\n" + r.describe());
        assertEquals(List.of(), Host.cgroupDirs("/" + b.id()), "no cgroup was made");
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
