package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Descriptors: none of the runtime's own reaches a container process (run or exec), even when
 * its caller leaked some to it; --preserve-fds passes exactly N; LISTEN_FDS/LISTEN_PID pass
 * socket-activation descriptors as runc does.
 */
class DescriptorsIT extends ContainerTestBase {
    /**
     * ls listing its own descriptors, replacing the shell: the last entry is the directory ls
     * reads, so "0 1 2 3" means the process started with stdio alone. (A shell's own list would
     * show the descriptors busybox ash keeps for its redirections.)
     */
    private static final String LIST_FDS = "exec ls -1 /proc/self/fd";

    /**
     * Runs the runtime from a shell that first runs {@code setup} (e.g. {@code exec 3<file}),
     * so the runtime inherits those descriptors as a caller such as systemd would pass them.
     */
    private Result viaShell(String setup, String... runtimeArgs) {
        List<String> quoted = new ArrayList<>();
        for (String a : cli.argv(runtimeArgs)) quoted.add("'" + a.replace("'", "'\\''") + "'");
        return Exec.of("sh", "-c", setup + "; exec " + String.join(" ", quoted)).scratch(sb.dir()).log(cli.log()).run();
    }

    private Path file(String name, String content) throws Exception {
        Path f = sb.dir().resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void noRuntimeDescriptorReachesARunProcessOrItsInit() throws Exception {
        Path leak = file("leak", "x");
        Bundle b = sb.bundle("run").sh(LIST_FDS);
        Result r = viaShell("exec 7<" + leak + " 9<" + leak, cli.withBundle("run", b));
        r.assertOk();
        assertEquals("0\n1\n2\n3\n", r.stdout(), "only stdio (and ls's own 3), nothing of the runtime's nor its "
                + "caller's: " + r.describe());
        Bundle d = sb.bundle("detached").args("sleep", "1000");
        viaShell("exec 7<" + leak, cli.withBundle("run", d, "-d")).assertOk();
        long init = ((Number) cli.state(d.id()).get("pid")).longValue();
        assertEquals(List.of("0", "1", "2"), fds(init), "the detached init holds only stdio");
    }

    @Test
    void noRuntimeDescriptorReachesAnExecProcess() throws Exception {
        Path leak = file("leak", "x");
        Bundle b = sb.bundle("exec").args("sleep", "1000");
        cli.exec(cli.withBundle("run", b, "-d")).run().assertOk();
        Result r = viaShell("exec 7<" + leak, "exec", b.id(), "sh", "-c", LIST_FDS);
        r.assertOk();
        assertEquals("0\n1\n2\n3\n", r.stdout(), "only stdio reaches the exec'd process: " + r.describe());
        Path pidFile = sb.dir().resolve("exec.pid");
        viaShell("exec 7<" + leak, "exec", "-d", "--pid-file", pidFile.toString(), b.id(), "sleep", "1000").assertOk();
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        // runc's exec -d may return while its init still prepares the process: wait for the execve.
        assertTrue(dev.berth.it.support.Host.waitFor(java.time.Duration.ofSeconds(10), () -> comm(pid).equals("sleep")),
                "the exec'd process becomes sleep");
        assertEquals(List.of("0", "1", "2"), fds(pid), "a detached exec'd process holds only stdio");
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static List<String> fds(long pid) throws Exception {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        out.sort((x, y) -> Integer.compare(Integer.parseInt(x), Integer.parseInt(y)));
        return out;
    }

    @Test
    void preserveFdsPassesExactlyN() throws Exception {
        Path f3 = file("f3", "three"), f4 = file("f4", "four"), f6 = file("f6", "six");
        Bundle b = sb.bundle("preserve").sh("cat <&3; echo; cat <&4; echo; " + LIST_FDS);
        Result r = viaShell("exec 3<" + f3 + " 4<" + f4 + " 6<" + f6, cli.withBundle("run", b, "--preserve-fds", "2"));
        r.assertOk();
        assertEquals("three\nfour\n0\n1\n2\n3\n4\n5\n", r.stdout(),
                "fds 3 and 4 pass (5 is ls's own), 6 does not: " + r.describe());
    }

    @Test
    void execPreserveFds() throws Exception {
        Path f3 = file("f3", "exec-three");
        Bundle b = sb.bundle("execpreserve").args("sleep", "1000");
        cli.exec(cli.withBundle("run", b, "-d")).run().assertOk();
        Result r = viaShell("exec 3<" + f3 + " 4<" + f3, "exec", "--preserve-fds", "1", b.id(), "sh", "-c",
                "cat <&3; echo; " + LIST_FDS);
        r.assertOk();
        assertEquals("exec-three\n0\n1\n2\n3\n4\n", r.stdout(), "fd 3 passes, 4 does not: " + r.describe());
    }

    /**
     * systemd socket activation through the runtime: LISTEN_PID names the runtime's own PID (the
     * shell execs it), so its LISTEN_FDS descriptors go on, with LISTEN_PID=1 for the container.
     */
    @Test
    void listenFdsPassOnWithListenPidOne() throws Exception {
        Path f3 = file("f3", "activated");
        Bundle b = sb.bundle("listen").sh("echo LISTEN_FDS=$LISTEN_FDS LISTEN_PID=$LISTEN_PID; cat <&3; echo; "
                + LIST_FDS);
        Result r = viaShell("exec 3<" + f3 + "; export LISTEN_FDS=1 LISTEN_PID=$$", cli.withBundle("run", b));
        r.assertOk();
        assertEquals("LISTEN_FDS=1 LISTEN_PID=1\nactivated\n0\n1\n2\n3\n4\n", r.stdout(), r.describe());
    }

    @Test
    void listenFdsForAnotherProcessAreIgnored() throws Exception {
        Path f3 = file("f3", "not-for-us");
        Bundle b = sb.bundle("otherpid").sh("echo LISTEN_FDS=$LISTEN_FDS; " + LIST_FDS);
        Result r = viaShell("exec 3<" + f3 + "; export LISTEN_FDS=1 LISTEN_PID=1", cli.withBundle("run", b));
        r.assertOk();
        assertEquals("LISTEN_FDS=\n0\n1\n2\n3\n", r.stdout(), r.describe());
    }
}
