package dev.berth.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void stateOnStdinArgsAndEnvAsConfigured() throws Exception {
        Path out = tmp.resolve("out");
        HookRunner.run("prestart", new HookRunner.Hook("/bin/sh",
                List.of("hook-argv0", "-c", "echo \"$(head -c 10 /proc/$$/cmdline) $0 $1 $X\" > " + out
                        + "; cat >> " + out, "zero", "arg1"),
                List.of("X=envval"), 5), "{\"id\":\"c1\"}");
        assertEquals("hook-argv0 zero arg1 envval\n{\"id\":\"c1\"}", Files.readString(out));
    }

    @Test
    void failureCarriesStatusAndOutput() {
        BerthException e = assertThrows(BerthException.class, () -> HookRunner.run("createRuntime",
                new HookRunner.Hook("/bin/sh", List.of("sh", "-c", "echo broken >&2; exit 3"), List.of(), 0), "{}"));
        assertEquals("createRuntime hook /bin/sh: exit status 3: broken", e.getMessage());
    }

    @Test
    void timeoutKillsTheHook() {
        long t0 = System.nanoTime();
        BerthException e = assertThrows(BerthException.class, () -> HookRunner.run("poststart",
                new HookRunner.Hook("/bin/sleep", List.of("sleep", "30"), List.of(), 1), "{}"));
        assertTrue(e.getMessage().endsWith("timed out after 1 s"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void missingHookBinaryIsNamed() {
        BerthException e = assertThrows(BerthException.class, () -> HookRunner.run("prestart",
                new HookRunner.Hook("/no/such/hook", List.of(), List.of(), 0), "{}"));
        assertTrue(e.getMessage().startsWith("prestart hook /no/such/hook: "), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }
}
