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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * process.scheduler, process.ioPriority and linux.personality seen from inside the container, and
 * the AppArmor and SELinux labels, which these hosts cannot apply. Debian's runc (1.1) predates
 * the first three and ignores them, so those tests run against berth only.
 */
class SchedulingAndLabelsIT extends ContainerTestBase {
    private static final String RUNC_11 = "runc 1.1 ignores this field (added to runtime-spec 1.2)";

    /** Fields 19 (nice) and 41 (policy) of the shell's /proc/PID/stat. */
    private static final String STAT = "set -- $(cat /proc/$$/stat); echo nice=${19}; echo policy=${41}";

    @Test
    void schedulerPolicyAndNiceAreApplied() {
        assumeTrue(RuntimeUnderTest.isBerth(), RUNC_11);
        Bundle b = sb.bundle("sched").sh(STAT);
        b.process().put("scheduler", Map.of("policy", "SCHED_BATCH", "nice", 5L));
        Facts f = facts(b);
        assertEquals("3", f.get("policy"), f.why("SCHED_BATCH is policy 3"));
        assertEquals("5", f.get("nice"), f.why("nice 5"));
    }

    @Test
    void ioPriorityIsApplied() {
        assumeTrue(RuntimeUnderTest.isBerth(), RUNC_11);
        Bundle b = sb.bundle("ioprio").sh("echo io=$(ionice -p $$)");
        b.process().put("ioPriority", Map.of("class", "IOPRIO_CLASS_BE", "priority", 6L));
        Facts f = facts(b);
        assertEquals("best-effort: prio 6", f.get("io"), f.why("class BE, priority 6"));
    }

    @Test
    void personalityLinux32ChangesTheMachine() {
        assumeTrue(RuntimeUnderTest.isBerth(), RUNC_11);
        Bundle b = sb.bundle("persona").sh("echo machine=$(uname -m)");
        b.linux().put("personality", Map.of("domain", "LINUX32"));
        Facts f = facts(b);
        assertEquals("i686", f.get("machine"), f.why("PER_LINUX32 makes uname report a 32-bit machine"));
    }

    @Test
    void appArmorProfileWithoutAppArmorIsRefused() throws Exception {
        assumeTrue(!appArmorEnabled(), "AppArmor is enabled here: the profile could be applied");
        Bundle b = sb.bundle("apparmor").sh("true");
        b.process().put("apparmorProfile", "berth-it-profile");
        assertRefused(b, "process.apparmorProfile", "AppArmor is not enabled");
    }

    @Test
    void seLinuxLabelWithoutSeLinuxIsRefused() {
        assumeTrue(!Files.exists(Path.of("/sys/fs/selinux/enforce")), "SELinux is enabled here");
        Bundle b = sb.bundle("selinux").sh("true");
        b.process().put("selinuxLabel", "system_u:system_r:container_t:s0");
        assertRefused(b, "process.selinuxLabel", "SELinux is not enabled");
    }

    /** Both runtimes refuse; berth's error names the field and the reason. */
    private void assertRefused(Bundle b, String... words) {
        b.write();
        Result r = cli.exec("create", "--bundle", b.dir().toString(), b.id()).run();
        assertEquals(1, r.exit(), "create must fail\n" + r.describe());
        if (RuntimeUnderTest.isBerth()) {
            for (String w : List.of(words)) assertTrue(r.stderr().contains(w), "the error says " + w + "\n" + r.describe());
        }
        Leftovers.assertNone(cli, b);
    }

    private static boolean appArmorEnabled() throws Exception {
        Path p = Path.of("/sys/module/apparmor/parameters/enabled");
        return Files.exists(p) && new String(Files.readAllBytes(p)).startsWith("Y");
    }
}
