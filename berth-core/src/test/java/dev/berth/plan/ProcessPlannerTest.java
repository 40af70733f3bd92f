package dev.berth.plan;

import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static dev.berth.spec.TestConfigs.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import dev.berth.spec.Spec;
import dev.berth.spec.SpecLoader;
import dev.berth.spec.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** P_PROCESS as PlanText shows it: every process setting and where the seccomp filter is loaded. */
class ProcessPlannerTest {
    @TempDir
    Path dir;

    /** A fake / for the LSM checks: no LSM unless a test makes its files. */
    @TempDir
    Path host;

    private final List<String> warnings = new ArrayList<>();
    /** Plan for exec (a process joining the container) rather than for the init. */
    private boolean exec;

    private String process(Map<String, Object> config) {
        Spec spec = SpecLoader.load(TestConfigs.bundle(dir.resolve("b" + warnings.size() + System.nanoTime()), config));
        MessageWriter w = new MessageWriter(Protocol.MSG_BOOTSTRAP);
        ProcessPlanner.write(w, spec.process(), spec.linux(), warnings, exec, new Lsm(host));
        return PlanText.render(w.toBytes()).trim();
    }

    private static Map<String, Object> seccomp(boolean nnp, String action) {
        Map<String, Object> c = put(minimal(), "process.noNewPrivileges", nnp);
        return put(c, "linux.seccomp", json("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",
                 "syscalls": [{"names": ["mkdir"], "action": "%s"}]}""".formatted(action)));
    }

    @Test
    void capabilitiesRlimitsNoNewPrivsAndOomScore() {
        Map<String, Object> c = put(minimal(), "process.capabilities", json("""
                {"bounding": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"],
                 "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}"""));
        put(c, "process.rlimits", json("""
                [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 4096},
                 {"type": "RLIMIT_CORE", "soft": 0, "hard": 18446744073709551615}]"""));
        put(c, "process.noNewPrivileges", true);
        put(c, "process.oomScoreAdj", -500L);
        String p = process(c);
        assertTrue(p.contains(" caps_bounding=CAP_CHOWN|CAP_KILL caps_effective=CAP_KILL caps_permitted=CAP_KILL "
                + "caps_inheritable=CAP_KILL caps_ambient=CAP_KILL "), p);
        assertTrue(p.contains(" rlimit={resource=7 soft=1024 hard=4096} rlimit={resource=4 soft=0 hard=RLIM_INFINITY}"), p);
        assertTrue(p.contains(" no_new_privs=1"), p);
        // u32 on the wire, the helper reads it back as an i32.
        assertTrue(p.contains(" oom_score_adj=" + Integer.toUnsignedString(-500)), p);
    }

    @Test
    void anAmbientCapabilityNeedsPermittedAndInheritable() {
        String p = process(put(minimal(), "process.capabilities", json("""
                {"permitted": ["CAP_KILL", "CAP_CHOWN"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL", "CAP_CHOWN"]}""")));
        assertTrue(p.contains(" caps_ambient=CAP_KILL"), p);
        assertEquals(List.of("config.json: process.capabilities.ambient: CAP_CHOWN is not both permitted and "
                + "inheritable, so it cannot be ambient; ignored"), warnings);
    }

    @Test
    void seccompIsLoadedWhereRuncLoadsIt() {
        assertTrue(process(seccomp(true, "SCMP_ACT_ERRNO")).contains("stage=" + Protocol.SECCOMP_AT_EXEC + "}"),
                "with no_new_privs: the last step before execve");
        assertTrue(process(seccomp(false, "SCMP_ACT_ERRNO")).contains("stage=" + Protocol.SECCOMP_AT_USER + "}"),
                "without: before the user switch, while CAP_SYS_ADMIN is there");
        String notify = process(seccomp(true, "SCMP_ACT_NOTIFY"));
        assertTrue(notify.contains("stage=" + Protocol.SECCOMP_AT_READY + "}"), "a notify filter: before MSG_READY");
        assertTrue(notify.contains("flags=0x8 "), "NEW_LISTENER: " + notify);
        assertTrue(process(seccomp(false, "SCMP_ACT_NOTIFY")).contains("stage=" + Protocol.SECCOMP_AT_USER + "}"));
    }

    @Test
    void schedulerIoPriorityAndPersonality() {
        Map<String, Object> c = put(minimal(), "process.scheduler", json("""
                {"policy": "SCHED_BATCH", "nice": -3, "flags": ["SCHED_FLAG_RESET_ON_FORK"]}"""));
        put(c, "process.ioPriority", json("{\"class\": \"IOPRIO_CLASS_IDLE\", \"priority\": 5}"));
        put(c, "linux.personality", json("{\"domain\": \"LINUX32\"}"));
        String p = process(c);
        // size 48, policy 3, flags 1, nice -3, priority 0, runtime, deadline, period 0.
        assertTrue(p.contains(" sched_attr=30000000030000000100000000000000fdffffff00000000"
                + "000000000000000000000000000000000000000000000000"), p);
        assertTrue(p.contains(" ioprio=" + (3 << 13 | 5)), p);
        assertTrue(p.contains(" personality=8"), p);
    }

    @Test
    void execCpuAffinityIsForExecOnly() {
        Map<String, Object> c = put(minimal(), "process.execCPUAffinity", json("{\"initial\": \"1\", \"final\": \"0-2,65\"}"));
        assertTrue(!process(c).contains("cpu_affinity"), "runtime-spec: not applicable to the init");
        exec = true;
        // Two words: CPUs 0-2 in the first, 65 in the second.
        assertTrue(process(c).contains(" cpu_affinity=07000000000000000200000000000000"), process(c));
    }

    @Test
    void labelsNeedTheirSecurityModule() {
        Map<String, Object> aa = put(minimal(), "process.apparmorProfile", "berth-default");
        BerthException e = assertThrows(BerthException.class, () -> process(aa));
        assertEquals("config.json: process.apparmorProfile: \"berth-default\" cannot be applied: AppArmor is not enabled "
                + "on this host", e.getMessage());
        Map<String, Object> se = put(minimal(), "process.selinuxLabel", "system_u:system_r:container_t:s0");
        e = assertThrows(BerthException.class, () -> process(se));
        assertEquals("config.json: process.selinuxLabel: \"system_u:system_r:container_t:s0\" cannot be applied: "
                + "SELinux is not enabled on this host", e.getMessage());
        Map<String, Object> ml = put(minimal(), "linux.mountLabel", "system_u:object_r:container_file_t:s0");
        e = assertThrows(BerthException.class, () -> process(ml));
        assertTrue(e.getMessage().startsWith("config.json: linux.mountLabel: "), e.getMessage());
    }

    @Test
    void appArmorProfileIsWrittenToTheExecAttribute() throws IOException {
        Path enabled = host.resolve("sys/module/apparmor/parameters/enabled");
        Files.createDirectories(enabled.getParent());
        Files.writeString(enabled, "Y\n");
        String p = process(put(minimal(), "process.apparmorProfile", "berth-default"));
        assertTrue(p.contains(" lsm_attr={path=/proc/thread-self/attr/exec value=\"exec berth-default\"}"), p);
        // Kernels with LSM stacking have AppArmor's own directory.
        Files.createDirectories(host.resolve("proc/thread-self/attr/apparmor"));
        p = process(put(minimal(), "process.apparmorProfile", "berth-default"));
        assertTrue(p.contains(" lsm_attr={path=/proc/thread-self/attr/apparmor/exec value=\"exec berth-default\"}"), p);
    }

    @Test
    void seLinuxLabelIsWrittenToTheExecAttribute() throws IOException {
        Files.createDirectories(host.resolve("sys/fs/selinux"));
        Files.writeString(host.resolve("sys/fs/selinux/enforce"), "1");
        Map<String, Object> c = put(minimal(), "process.selinuxLabel", "system_u:system_r:container_t:s0");
        put(c, "linux.mountLabel", "system_u:object_r:container_file_t:s0");
        String p = process(c);
        assertTrue(p.contains(" lsm_attr={path=/proc/thread-self/attr/exec value=system_u:system_r:container_t:s0}"), p);
        assertEquals(List.of("config.json: linux.mountLabel is not applied by this berth version"), warnings);
    }
}
