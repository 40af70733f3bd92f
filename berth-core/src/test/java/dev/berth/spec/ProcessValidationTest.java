package dev.berth.spec;

import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static dev.berth.spec.TestConfigs.put;
import static dev.berth.spec.TestConfigs.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessValidationTest extends SpecAssertions {
    @TempDir
    Path dir;

    @Override
    Path dir() {
        return dir;
    }

    @Test
    void argsMustBeANonEmptyArrayOfStrings() {
        String msg = "config.json: process.args: must be a non-empty array of strings";
        assertError(remove(minimal(), "process.args"), msg);
        assertError(put(minimal(), "process.args", json("[]")), msg);
        assertError(put(minimal(), "process.args", "sh"), msg);
        assertError(put(minimal(), "process.args", json("[\"sh\", 1]")), msg);
    }

    @Test
    void cwdIsRequiredAndAbsolute() {
        assertError(remove(minimal(), "process.cwd"), "config.json: process.cwd: is required");
        assertError(put(minimal(), "process.cwd", "tmp"), "config.json: process.cwd: \"tmp\" must be an absolute path");
    }

    @Test
    void processIsOptional() {
        assertNull(load(remove(minimal(), "process")).process());
    }

    @Test
    void terminalAndConsoleSizeAreRead() {
        ProcessSpec p = load(put(put(minimal(), "process.terminal", true), "process.consoleSize",
                java.util.Map.of("height", 30L, "width", 100L))).process();
        assertTrue(p.terminal());
        assertEquals(new ProcessSpec.ConsoleSize(30, 100), p.consoleSize());
        assertError(put(minimal(), "process.terminal", "no"), "config.json: process.terminal: must be a boolean");
    }

    @Test
    void envEntriesNeedAName() {
        assertError(put(minimal(), "process.env", json("[\"A=1\", \"B\"]")),
                "config.json: process.env[1]: \"B\" must have the form NAME=value");
        assertError(put(minimal(), "process.env", json("[\"A=1\", 2]")), "config.json: process.env[1]: must be a string");
        assertError(put(minimal(), "process.env", "A=1"), "config.json: process.env: must be an array of strings");
    }

    @Test
    void userIdsAreUnsigned32BitIntegers() {
        String range = "must be an integer from 0 to 4294967295";
        assertError(put(minimal(), "process.user.uid", -1L), "config.json: process.user.uid: " + range);
        assertError(put(minimal(), "process.user.gid", 4294967296L), "config.json: process.user.gid: " + range);
        assertError(put(minimal(), "process.user.uid", "0"), "config.json: process.user.uid: " + range);
        assertError(put(minimal(), "process.user.uid", 1.5), "config.json: process.user.uid: " + range);
        assertError(put(minimal(), "process.user.additionalGids", json("[1, -2]")),
                "config.json: process.user.additionalGids[1]: " + range);
        ProcessSpec.User u = load(put(minimal(), "process.user",
                json("{\"uid\": 4294967295, \"gid\": 5, \"umask\": 18, \"additionalGids\": [7, 8]}"))).process().user();
        assertEquals(new ProcessSpec.User(4294967295L, 5, 18L, List.of(7L, 8L), null), u);
    }

    @Test
    void rlimitsTakeUnsigned64BitValues() {
        ProcessSpec p = load(put(minimal(), "process.rlimits", json("""
                [{"type": "RLIMIT_NOFILE", "hard": 18446744073709551615, "soft": 1024}]"""))).process();
        assertEquals(List.of(new ProcessSpec.Rlimit("RLIMIT_NOFILE", -1L, 1024L)), p.rlimits());
        assertError(put(minimal(), "process.rlimits", json("[{\"type\": \"NOFILE\"}]")),
                "config.json: process.rlimits[0].type: unknown resource limit \"NOFILE\" (expected one of RLIMIT_CPU, "
                        + "RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS, RLIMIT_NPROC, RLIMIT_NOFILE, "
                        + "RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS, RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, "
                        + "RLIMIT_RTPRIO, RLIMIT_RTTIME)");
        assertError(put(minimal(), "process.rlimits", json("[{\"type\": \"RLIMIT_CORE\", \"hard\": 1, \"soft\": 2}]")),
                "config.json: process.rlimits[0].hard: 1 is lower than soft 2");
        assertError(put(minimal(), "process.rlimits", json("""
                [{"type": "RLIMIT_CORE", "hard": 1, "soft": 1}, {"type": "RLIMIT_CORE", "hard": 2, "soft": 2}]""")),
                "config.json: process.rlimits[1].type: duplicate limit RLIMIT_CORE");
        // Unsigned: RLIM_INFINITY as hard is above any soft limit.
        assertEquals(2, load(put(minimal(), "process.rlimits", json("""
                [{"type": "RLIMIT_CORE", "hard": 18446744073709551615, "soft": 0},
                 {"type": "RLIMIT_NPROC", "hard": 18446744073709551615, "soft": 18446744073709551615}]""")))
                .process().rlimits().size());
        assertError(put(minimal(), "process.rlimits", json("[{\"type\": \"RLIMIT_CORE\", \"soft\": -1}]")),
                "config.json: process.rlimits[0].soft: must be an integer from 0 to 18446744073709551615");
    }

    @Test
    void linuxProcessFieldsAreChecked() {
        assertError(put(minimal(), "process.oomScoreAdj", 1001L), "config.json: process.oomScoreAdj: must be from -1000 to 1000");
        assertError(put(minimal(), "process.ioPriority", json("{\"class\": \"IOPRIO_CLASS_X\"}")),
                "config.json: process.ioPriority.class: unknown class \"IOPRIO_CLASS_X\" (expected IOPRIO_CLASS_RT, "
                        + "IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)");
        assertError(put(minimal(), "process.ioPriority", json("{\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 8}")),
                "config.json: process.ioPriority.priority: must be from 0 to 7");
        assertError(put(minimal(), "process.scheduler", json("{\"nice\": 1}")),
                "config.json: process.scheduler.policy: is required");
        assertError(put(minimal(), "process.capabilities", json("{\"bounding\": \"CAP_KILL\"}")),
                "config.json: process.capabilities.bounding: must be an array of strings");
        ProcessSpec p = load(put(minimal(), "process.capabilities", json("{\"bounding\": []}"))).process();
        assertEquals(List.of(), p.capabilities().bounding());
        assertNull(p.capabilities().effective());
    }

    @Test
    void cpuListsAreChecked() {
        for (String bad : List.of("x", "1-", "3-1", "1,,2", "8192", "-1")) {
            assertError(put(minimal(), "process.execCPUAffinity", json("{\"final\": \"" + bad + "\"}")),
                    "config.json: process.execCPUAffinity.final: \"" + bad + "\" is not a list of CPUs below 8192 "
                            + "(e.g. \"0-3,7\")");
        }
        assertEquals("0-3, 7", load(put(minimal(), "process.execCPUAffinity", json("{\"initial\": \"0-3, 7\"}")))
                .process().execCPUAffinity().initialCpus());
        assertEquals(List.of((byte) 0x8f, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0),
                toList(CpuList.mask("0-3,7")));
    }

    private static List<Byte> toList(byte[] b) {
        List<Byte> l = new java.util.ArrayList<>();
        for (byte x : b) l.add(x);
        return l;
    }

    @Test
    void schedulerFieldsFollowThePolicy() {
        String at = "config.json: process.scheduler.";
        assertError(put(minimal(), "process.scheduler", json("{\"policy\": \"SCHED_OTHER\", \"nice\": 20}")),
                at + "nice: must be from -20 to 19");
        assertError(put(minimal(), "process.scheduler", json("{\"policy\": \"SCHED_OTHER\", \"priority\": 5}")),
                at + "priority: is only allowed with SCHED_FIFO or SCHED_RR");
        assertError(put(minimal(), "process.scheduler", json("{\"policy\": \"SCHED_FIFO\", \"priority\": 100}")),
                at + "priority: must be from 1 to 99");
        assertError(put(minimal(), "process.scheduler", json("{\"policy\": \"SCHED_RR\", \"priority\": 1, \"period\": 5}")),
                at + "period: is only allowed with SCHED_DEADLINE");
        assertError(put(minimal(), "process.scheduler", json("{\"policy\": \"SCHED_IDLE\", \"flags\": [\"SCHED_FLAG_X\"]}")),
                at + "flags[0]: unknown flag \"SCHED_FLAG_X\"");
        assertError(put(minimal(), "linux.personality", json("{\"domain\": \"LINUX\", \"flags\": [\"X\"]}")),
                "config.json: linux.personality.flags: \"X\" is not supported (runtime-spec defines none)");
    }

    @Test
    void capabilityNamesMustBeKnown() {
        assertError(put(minimal(), "process.capabilities", json("{\"effective\": [\"CAP_KILL\", \"CAP_FLY\"]}")),
                "config.json: process.capabilities.effective[1]: unknown capability \"CAP_FLY\"");
        assertError(put(minimal(), "process.capabilities", json("{\"ambient\": [\"kill\"]}")),
                "config.json: process.capabilities.ambient[0]: unknown capability \"kill\"");
        Spec s = load(put(minimal(), "process.capabilities", json("""
                {"bounding": ["CAP_CHOWN", "CAP_CHECKPOINT_RESTORE"], "permitted": ["CAP_BPF"]}""")));
        List<String> expected = new java.util.ArrayList<>();
        int last = Capability.lastCap();
        // Known to berth but newer than the kernel: a warning, as runc gives.
        if (last < 40) {
            expected.add("config.json: process.capabilities.bounding[1]: CAP_CHECKPOINT_RESTORE is not supported by "
                    + "this kernel (its last capability is " + Capability.name(last) + "), ignored");
        }
        if (last < 39) {
            expected.add("config.json: process.capabilities.permitted[0]: CAP_BPF is not supported by this kernel (its "
                    + "last capability is " + Capability.name(last) + "), ignored");
        }
        assertEquals(expected, s.warnings());
    }

    @Test
    void capabilityMasksLeaveOutWhatTheKernelLacks() {
        assertEquals(1L << 5 | 1L << 10 | 1L << 29,
                Capability.mask(List.of("CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"), 40));
        assertEquals(1L, Capability.mask(List.of("CAP_CHOWN", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"), 38));
        assertEquals(0L, Capability.mask(null, 40));
        assertEquals("CAP_CHECKPOINT_RESTORE", Capability.name(40));
        assertEquals(40, Capability.number("CAP_CHECKPOINT_RESTORE"));
        assertTrue(Capability.lastCap() >= 36, "this kernel's last capability: " + Capability.lastCap());
    }
}
