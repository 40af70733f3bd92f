package dev.berth.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.spec.Resources.DeviceRule;
import dev.berth.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The device program in a real kernel: attached to a fresh cgroup of the unified (v2) hierarchy,
 * which exists on hybrid hosts too, it decides what a shell moved into that cgroup may open.
 * Needs root and a cgroup2 mount; the cgroup is made and removed by the test itself.
 */
class BpfDevicesLiveTest {
    private static Path unifiedMount() {
        for (Hierarchy h : Cgroups.host().hierarchies()) {
            if (h.unified() && "/".equals(h.mountRoot())) return h.mountPoint();
        }
        return null;
    }

    @Test
    void theProgramDecidesWhichDevicesOpen() throws Exception {
        assumeTrue(Sys.geteuid() == 0, "needs root");
        Path mount = unifiedMount();
        assumeTrue(mount != null, "needs a cgroup2 mount");
        Path dir = mount.resolve("berth-bpf-test-" + ProcessHandle.current().pid());
        Files.createDirectory(dir);
        try {
            BpfDevices.attach(dir, List.of(new DeviceRule(false, 'a', -1, -1, "rwm"),
                    new DeviceRule(true, 'c', 1, 3, "rw")));
            String out = sh("echo $$ > " + dir + "/cgroup.procs; "
                    + "if cat /dev/null; then echo null=ok; fi; "
                    + "if head -c 1 /dev/zero >/dev/null 2>&1; then echo zero=ok; else echo zero=denied; fi");
            assertEquals("null=ok\nzero=denied\n", out);
        } finally {
            // the shell has exited; its cgroup is empty
            for (int i = 0; i < 100 && Files.exists(dir); i++) {
                try {
                    Files.delete(dir);
                } catch (IOException busy) {
                    Thread.sleep(10);
                }
            }
        }
    }

    private static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
