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
                "config.json: process.rlimits[0].type: unknown resource limit \"NOFILE\"");
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
}
