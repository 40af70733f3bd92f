package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Leftovers;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Capabilities, no_new_privs, resource limits and the OOM score, seen from inside the container:
 * the Cap* and NoNewPrivs lines of /proc/self/status, ulimit, /proc/self/oom_score_adj.
 */
class ProcessSecurityIT extends ContainerTestBase {
    /** Prints the status lines as facts: CapBnd=0000000020000420. */
    private static final String STATUS = "grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):' /proc/self/status "
            + "| while read k v; do echo \"${k%:}=$v\"; done";

    private static long mask(String... caps) {
        long m = 0;
        for (String c : caps) m |= 1L << List.of(CAP_NAMES).indexOf(c);
        return m;
    }

    private static final String[] CAP_NAMES = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
        "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
        "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
        "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
        "CAP_LEASE", "CAP_AUDIT_WRITE"};

    private static String hex(long mask) {
        return String.format("%016x", mask);
    }

    private static void setCaps(Bundle b, String set, String... caps) {
        Map<String, Object> c = b.obj("process", "capabilities");
        c.put(set, new ArrayList<Object>(Arrays.asList(caps)));
    }

    /** runc's default spec (which `spec` writes) confines the process to three capabilities, NNP and 1024 files. */
    @Test
    void defaultSpecIsConfinedLikeRuncs() {
        Bundle b = sb.bundle("default").sh(STATUS + "; echo nofile=$(ulimit -n); echo nofile_hard=$(ulimit -Hn)");
        Facts f = facts(b);
        String three = hex(mask("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
        assertEquals(three, f.get("CapBnd"), f.why("bounding set of the default spec"));
        assertEquals(three, f.get("CapEff"), f.why("effective set of the default spec"));
        assertEquals(three, f.get("CapPrm"), f.why("permitted set of the default spec"));
        assertEquals(hex(0), f.get("CapInh"), f.why("no inheritable capabilities"));
        assertEquals(hex(0), f.get("CapAmb"), f.why("no ambient capabilities"));
        assertEquals("1", f.get("NoNewPrivs"), f.why("noNewPrivileges is true in the default spec"));
        assertEquals("1024", f.get("nofile"), f.why("RLIMIT_NOFILE soft"));
        assertEquals("1024", f.get("nofile_hard"), f.why("RLIMIT_NOFILE hard"));
    }

    /**
     * All five sets, for a non-root user: after execve its permitted and effective sets are the
     * ambient set (its files carry no capabilities), which the kernel allows only for capabilities
     * both permitted and inheritable, so every set must have been applied as given.
     */
    @Test
    void allFiveSetsReachANonRootUser() {
        Bundle b = sb.bundle("five").sh(STATUS);
        b.process().put("user", Map.of("uid", 1000L, "gid", 1000L));
        setCaps(b, "bounding", "CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT");
        setCaps(b, "permitted", "CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        setCaps(b, "effective", "CAP_KILL");
        setCaps(b, "inheritable", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        setCaps(b, "ambient", "CAP_NET_BIND_SERVICE");
        Facts f = facts(b);
        assertEquals(hex(mask("CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT")), f.get("CapBnd"),
                f.why("bounding"));
        assertEquals(hex(mask("CAP_KILL", "CAP_NET_BIND_SERVICE")), f.get("CapInh"), f.why("inheritable"));
        assertEquals(hex(mask("CAP_NET_BIND_SERVICE")), f.get("CapAmb"), f.why("ambient"));
        assertEquals(hex(mask("CAP_NET_BIND_SERVICE")), f.get("CapPrm"), f.why("permitted after execve = ambient"));
        assertEquals(hex(mask("CAP_NET_BIND_SERVICE")), f.get("CapEff"), f.why("effective after execve = ambient"));
    }

    /**
     * Without process.capabilities every set is empty, as with runc up to 1.2 (runc 1.3 leaves
     * them alone; berth keeps the more confining rule of the runc these machines have).
     */
    @Test
    void noCapabilitiesObjectMeansNoCapabilities() {
        Bundle b = sb.bundle("nocaps").sh(STATUS);
        b.process().remove("capabilities");
        Facts f = facts(b);
        for (String set : List.of("CapBnd", "CapEff", "CapPrm", "CapInh", "CapAmb")) {
            assertEquals(hex(0), f.get(set), f.why(set + " is empty"));
        }
    }

    /** The capability bounding set really binds: without CAP_CHOWN, root cannot chown. */
    @Test
    void aDroppedCapabilityIsMissing() {
        Bundle b = sb.bundle("nochown").sh("touch /tmp/f; chown 5 /tmp/f && echo chown=ok || echo chown=refused");
        setCaps(b, "bounding", "CAP_KILL");
        setCaps(b, "effective", "CAP_KILL");
        setCaps(b, "permitted", "CAP_KILL");
        Facts f = facts(b);
        assertEquals("refused", f.get("chown"), f.why("chown needs CAP_CHOWN, which the bounding set lacks"));
    }

    /** runc 1.1 only warns about a name it does not know; runtime-spec leaves it open, berth refuses it. */
    @Test
    void unknownCapabilityNameIsRefused() {
        assumeTrue(RuntimeUnderTest.isBerth(), "runc ignores unknown capability names with a warning");
        Bundle b = sb.bundle("badcap").sh("true");
        setCaps(b, "bounding", "CAP_KILL", "CAP_TELEPORT");
        b.write();
        Result r = cli.exec("create", "--bundle", b.dir().toString(), b.id()).run();
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.stderr().contains("process.capabilities.bounding[1]") && r.stderr().contains("CAP_TELEPORT"),
                "the error names the field and the capability\n" + r.describe());
        Leftovers.assertNone(cli, b);
    }

    @Test
    void noNewPrivilegesFalseLeavesTheBitClear() {
        Bundle b = sb.bundle("nnp0").sh(STATUS);
        b.process().put("noNewPrivileges", false);
        assertEquals("0", facts(b).get("NoNewPrivs"));
    }

    @Test
    void rlimitsAreApplied() {
        Bundle b = sb.bundle("rlimits").sh("echo nofile=$(ulimit -n); echo nofile_hard=$(ulimit -Hn); "
                + "echo core=$(ulimit -c); echo core_hard=$(ulimit -Hc); echo stack=$(ulimit -s)");
        List<Object> limits = new ArrayList<>();
        limits.add(Map.of("type", "RLIMIT_NOFILE", "soft", 100L, "hard", 200L));
        // busybox's ulimit counts 512-byte blocks for -c, 1024-byte ones for -s.
        limits.add(Map.of("type", "RLIMIT_CORE", "soft", 10240L, "hard", 20480L));
        limits.add(Map.of("type", "RLIMIT_STACK", "soft", 4194304L, "hard", 8388608L));
        b.process().put("rlimits", limits);
        Facts f = facts(b);
        assertEquals("100", f.get("nofile"), f.why("RLIMIT_NOFILE soft"));
        assertEquals("200", f.get("nofile_hard"), f.why("RLIMIT_NOFILE hard"));
        assertEquals("20", f.get("core"), f.why("RLIMIT_CORE soft"));
        assertEquals("40", f.get("core_hard"), f.why("RLIMIT_CORE hard"));
        assertEquals("4096", f.get("stack"), f.why("RLIMIT_STACK soft"));
    }

    /** Raising a hard limit needs CAP_SYS_RESOURCE in the initial namespace, which root here lacks. */
    @Test
    void aHardLimitAboveTheRuntimesOwnFailsCreate() throws IOException {
        long hostHard = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) hostHard = Long.parseLong(line.substring(26).trim().split("\\s+")[1]);
        }
        assumeTrue(!hasCapSysResource(), "root here has CAP_SYS_RESOURCE: raising the hard limit would work");
        Bundle b = sb.bundle("rlimithigh").sh("true");
        b.process().put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "soft", 64L, "hard", hostHard + 1)));
        b.write();
        Result r = cli.exec("create", "--bundle", b.dir().toString(), b.id()).run();
        assertTrue(r.exit() != 0, "create must fail\n" + r.describe());
        if (RuntimeUnderTest.isBerth()) {
            assertEquals(1, r.exit(), r.describe());
            assertTrue(r.stderr().contains("RLIMIT_NOFILE") && r.stderr().contains("Operation not permitted"),
                    "the error names the limit and the reason\n" + r.describe());
        }
        Leftovers.assertNone(cli, b);
    }

    /** runtime-spec: hard below soft is an error; runc fails at setrlimit, berth names the field. */
    @Test
    void hardBelowSoftIsRefused() {
        Bundle b = sb.bundle("rlimitbad").sh("true");
        b.process().put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "soft", 100L, "hard", 50L)));
        b.write();
        Result r = cli.exec("create", "--bundle", b.dir().toString(), b.id()).run();
        assertTrue(r.exit() != 0, "create must fail\n" + r.describe());
        if (RuntimeUnderTest.isBerth()) {
            assertEquals(1, r.exit(), r.describe());
            assertTrue(r.stderr().contains("process.rlimits[0].hard"), "the error names the field\n" + r.describe());
        }
        Leftovers.assertNone(cli, b);
    }

    /** Raising the score needs no privilege (lowering it needs CAP_SYS_RESOURCE, which root here lacks). */
    @Test
    void oomScoreAdjIsApplied() throws IOException {
        int own = Integer.parseInt(Files.readString(Path.of("/proc/self/oom_score_adj")).trim());
        int want = Math.min(1000, own + 123);
        Bundle b = sb.bundle("oom").sh("echo oom=$(cat /proc/self/oom_score_adj)");
        b.process().put("oomScoreAdj", (long) want);
        assertEquals(Integer.toString(want), facts(b).get("oom"));
    }

    private static boolean hasCapSysResource() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >> 24 & 1) != 0;
        }
        return false;
    }
}
