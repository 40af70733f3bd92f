package dev.berth.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import dev.berth.api.ExecOptions;
import dev.berth.spec.ProcessSpec.Capabilities;
import dev.berth.spec.ProcessSpec.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exec's flags over the container's process, as runc's getProcess applies them. */
class ProcessOverridesTest {
    @TempDir
    Path dir;

    private static ProcessSpec base(Capabilities caps) {
        return new ProcessSpec(false, null, new User(1, 2, 077L, List.of(3L), null), List.of("init"), null,
                List.of("PATH=/bin", "A=1", "B=2"), "/home", caps, List.of(), false, null, null, null, null, null, null);
    }

    @Test
    void unsetFlagsKeepTheProcess() {
        ProcessSpec p = ProcessOverrides.apply(base(null), ExecOptions.of("sh"));
        assertEquals(List.of("sh"), p.args());
        assertEquals("/home", p.cwd());
        assertEquals(new User(1, 2, 077L, List.of(3L), null), p.user());
        assertEquals(List.of("PATH=/bin", "A=1", "B=2"), p.env());
        assertNull(p.capabilities());
    }

    @Test
    void flagsOverrideAndExtend() {
        ExecOptions o = ExecOptions.builder().args(List.of("id")).cwd("/tmp").env("B=new").env("C=3").uid(5L)
                .gid(6L).additionalGid(7).tty(true).noNewPrivileges(true).apparmorProfile("prof")
                .processLabel("label").build();
        ProcessSpec p = ProcessOverrides.apply(base(null), o);
        assertEquals("/tmp", p.cwd());
        assertEquals(List.of("PATH=/bin", "A=1", "B=new", "C=3"), p.env(), "a name already there is replaced in place");
        assertEquals(new User(5, 6, 077L, List.of(3L, 7L), null), p.user());
        assertTrue(p.terminal());
        assertTrue(p.noNewPrivileges());
        assertEquals("prof", p.apparmorProfile());
        assertEquals("label", p.selinuxLabel());
    }

    @Test
    void capsGoToBoundingEffectivePermittedAndToAmbientOnlyWithAnInheritableSet() {
        ExecOptions o = ExecOptions.builder().args(List.of("x")).capability("CAP_NET_ADMIN").build();
        Capabilities none = ProcessOverrides.apply(base(null), o).capabilities();
        assertEquals(List.of("CAP_NET_ADMIN"), none.bounding());
        assertEquals(List.of("CAP_NET_ADMIN"), none.effective());
        assertEquals(List.of("CAP_NET_ADMIN"), none.permitted());
        assertNull(none.inheritable());
        assertNull(none.ambient());
        Capabilities some = new Capabilities(List.of("CAP_CHOWN"), List.of(), List.of("CAP_CHOWN"), List.of(), null);
        Capabilities with = ProcessOverrides.apply(base(some), o).capabilities();
        assertEquals(List.of("CAP_CHOWN", "CAP_NET_ADMIN"), with.bounding());
        assertEquals(List.of("CAP_CHOWN"), with.inheritable());
        assertEquals(List.of("CAP_NET_ADMIN"), with.ambient());
    }

    @Test
    void badValuesNameTheFlag() {
        assertEquals("--cwd: \"tmp\" must be an absolute path", assertThrows(BerthException.class,
                () -> ProcessOverrides.apply(base(null), ExecOptions.builder().args(List.of("x")).cwd("tmp").build()))
                .getMessage());
        assertEquals("--env: \"NOEQUALS\" must have the form NAME=value", assertThrows(BerthException.class,
                () -> ProcessOverrides.apply(base(null), ExecOptions.builder().args(List.of("x")).env("NOEQUALS").build()))
                .getMessage());
    }

    @Test
    void aProcessFileIsReadWithItsNameInErrorsAndWarnings() throws Exception {
        Path f = dir.resolve("process.json");
        Files.writeString(f, "{\"args\": [\"sh\"], \"cwd\": \"/\", \"capabilities\": {\"bounding\": [\"CAP_KILL\"]}, "
                + "\"terminal\": true, \"bogus\": 1}");
        List<String> warnings = new ArrayList<>();
        ProcessSpec p = SpecLoader.loadProcess(f, warnings);
        assertEquals(List.of("sh"), p.args());
        assertTrue(p.terminal());
        assertTrue(warnings.contains("process.json: unknown property \"bogus\" ignored"), warnings.toString());
        assertTrue(p.capabilities() != null, "capabilities are read (and applied by exec)");
        Files.writeString(f, "{\"args\": [], \"cwd\": \"/\"}");
        assertEquals("process.json: args: must be a non-empty array of strings",
                assertThrows(BerthException.class, () -> SpecLoader.loadProcess(f, warnings)).getMessage());
        assertTrue(assertThrows(BerthException.class, () -> SpecLoader.loadProcess(dir.resolve("none.json"), warnings))
                .getMessage().endsWith("none.json: no such file or directory"));
    }
}
