package dev.berth.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * pause/resume's v2 path in the real kernel: cgroup.freeze and cgroup.events are core files of
 * cgroup2, present even in a hybrid host's controller-less unified hierarchy. A counting shell in
 * a fresh cgroup there stops counting while frozen. Needs root; the test makes and removes its cgroup.
 */
class V2FreezerLiveTest {
    @Test
    void freezeStopsTheProcessesAndThawLetsThemRun() throws Exception {
        assumeTrue(Sys.geteuid() == 0, "needs root");
        Hierarchy unified = null;
        for (Hierarchy h : Cgroups.host().hierarchies()) {
            if (h.unified() && "/".equals(h.mountRoot())) unified = h;
        }
        assumeTrue(unified != null, "needs a cgroup2 mount");
        Path dir = unified.mountPoint().resolve("berth-freeze-test-" + ProcessHandle.current().pid());
        Path count = Files.createTempFile("berth-freeze", ".count");
        Files.createDirectory(dir);
        Process p = null;
        try {
            p = new ProcessBuilder("/bin/sh", "-c", "echo $$ > " + dir + "/cgroup.procs; i=0; "
                    + "while :; do i=$((i+1)); echo $i > " + count + "; sleep 0.02; done").start();
            ContainerCgroup cg = ContainerCgroup.of(List.of(dir), List.of(unified));
            assertTrue(cg.unified());
            assertTrue(waitFor(() -> !read(count).isEmpty()), "the shell counts");

            Freezer.freeze(cg);
            assertTrue(cg.frozen());
            assertTrue(Files.readString(dir.resolve("cgroup.events")).contains("frozen 1"));
            String at = read(count);
            Thread.sleep(300);
            assertEquals(at, read(count), "a frozen cgroup does not run");

            Freezer.thaw(cg);
            assertFalse(cg.frozen());
            assertTrue(waitFor(() -> !read(count).equals(at)), "it counts again after thaw");
        } finally {
            if (p != null) {
                p.destroyForcibly();
                p.waitFor();
            }
            for (int i = 0; i < 200 && Files.exists(dir); i++) {
                try {
                    Files.delete(dir);
                } catch (IOException busy) {
                    Thread.sleep(10);
                }
            }
            Files.deleteIfExists(count);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            if (c.getAsBoolean()) return true;
            Thread.sleep(20);
        }
        return false;
    }
}
