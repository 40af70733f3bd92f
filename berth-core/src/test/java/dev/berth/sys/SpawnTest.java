package dev.berth.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpawnTest {

    private static String readAll(int fd) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte[] b = Sys.read("read", fd, 4096);
            if (b == null || b.length == 0) return sb.toString();
            sb.append(new String(b, StandardCharsets.UTF_8));
        }
    }

    @Test
    void placesDescriptorsAtFixedNumbersAndSetsArgv0() {
        int[] out = Sys.pipe("pipe", Sys.O_CLOEXEC);
        int pid = Spawn.spawn("/bin/sh", List.of("custom-argv0", "-c", "echo $0 $FOO >&5"), List.of("FOO=bar"),
                new int[][] {{out[1], 5}});
        Sys.close(out[1]);
        String text = readAll(out[0]);
        Sys.close(out[0]);
        assertEquals(0, Sys.exitCode(Sys.waitpid(pid, 0)));
        assertEquals("custom-argv0 bar\n", text);
    }

    @Test
    void childHasEmptySignalMaskAndNoOtherDescriptors() {
        int[] out = Sys.pipe("pipe", Sys.O_CLOEXEC);
        int pid = Spawn.spawn("/bin/sh", List.of("sh", "-c", "grep SigBlk /proc/self/status; ls /proc/self/fd"),
                List.of(), new int[][] {{out[1], 1}});
        Sys.close(out[1]);
        String text = readAll(out[0]);
        Sys.close(out[0]);
        Sys.waitpid(pid, 0);
        assertTrue(text.startsWith("SigBlk:\t0000000000000000\n"), text);
        // stdin, stdout, stderr, and the descriptor ls itself opens: nothing of the JVM's
        // (ProcessBuilder-free spawn must not leak close-on-exec descriptors).
        assertFalse(text.lines().skip(1).anyMatch(l -> Integer.parseInt(l) > 3), text);
    }

    @Test
    void exitStatusAndSignals() {
        int pid = Spawn.spawn("/bin/sh", List.of("sh", "-c", "exit 3"), List.of(), new int[0][]);
        assertEquals(3, Sys.exitCode(Sys.waitpid(pid, 0)));
        pid = Spawn.spawn("/bin/sh", List.of("sh", "-c", "kill -9 $$"), List.of(), new int[0][]);
        assertEquals(137, Sys.exitCode(Sys.waitpid(pid, 0)));
    }

    @Test
    void missingProgramIsAnErrorWithErrno() {
        BerthException e = assertThrows(BerthException.class,
                () -> Spawn.spawn("/nonexistent/prog", List.of("x"), List.of(), new int[0][]));
        assertEquals(2, e.errno());
        assertTrue(e.getMessage().contains("/nonexistent/prog: No such file or directory"), e.getMessage());
    }

    @Test
    void signalRefusesAReusedPid() {
        int pid = Spawn.spawn("/bin/sleep", List.of("sleep", "10"), List.of(), new int[0][]);
        long start = ProcessInfo.startTime(pid);
        assertTrue(start > 0);
        assertFalse(Sys.signal(pid, start + 1, 9), "a different start time means a different process");
        assertTrue(Sys.signal(pid, start, 9));
        assertEquals(137, Sys.exitCode(Sys.waitpid(pid, 0)));
        assertFalse(ProcessInfo.isAlive(pid, start));
    }
}
