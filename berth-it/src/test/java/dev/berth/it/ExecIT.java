package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Host;
import dev.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code exec}: a second process in a running container, with runc's flags. */
class ExecIT extends ContainerTestBase {

    /** A detached container whose init sleeps; returns its id. */
    private String running(String name) {
        return running(sb.bundle(name));
    }

    private String running(Bundle b) {
        b.args("sleep", "1000");
        cli.exec(cli.withBundle("run", b, "-d")).run().assertOk();
        return b.id();
    }

    private long initPid(String id) {
        return ((Number) cli.state(id).get("pid")).longValue();
    }

    @Test
    void execJoinsEveryNamespaceOfTheInit() {
        Bundle b = sb.bundle("ns").namespace("user").namespace("cgroup");
        b.linux().put("uidMappings", List.of(Map.of("containerID", 0, "hostID", 100000, "size", 65536)));
        b.linux().put("gidMappings", List.of(Map.of("containerID", 0, "hostID", 100000, "size", 65536)));
        String id = running(b);
        long init = initPid(id);
        Result r = cli.call("exec", id, "sh", "-c",
                "for n in mnt pid net ipc uts user cgroup; do echo $n=$(readlink /proc/self/ns/$n); done").assertOk();
        for (String ns : List.of("mnt", "pid", "net", "ipc", "uts", "user", "cgroup")) {
            assertTrue(r.stdout().contains(ns + "=" + Host.nsLink(init, ns) + "\n"),
                    "the exec'd process must be in the init's " + ns + " namespace (" + Host.nsLink(init, ns) + ")\n"
                            + r.describe());
        }
    }

    @ParameterizedTest(name = "exit {0}")
    @ValueSource(ints = {0, 3, 42})
    void exitStatusIsTheProcesses(int status) {
        String id = running("exit" + status);
        Result r = cli.call("exec", id, "sh", "-c", "echo out; echo err >&2; exit " + status);
        assertEquals(status, r.exit(), r.describe());
        assertEquals("out\n", r.stdout(), r.describe());
        assertEquals("err\n", r.stderr(), r.describe());
    }

    @Test
    void killedBySignalGives128PlusN() {
        String id = running("sig");
        Result r = cli.call("exec", id, "sh", "-c", "kill -TERM $$; sleep 5");
        assertEquals(143, r.exit(), r.describe());
    }

    /** Each repeated flag in one form: runc's urfave refuses -e and --env together ("two forms"). */
    @Test
    void flagsSetCwdEnvUserAndGroups() {
        Bundle b = sb.bundle("flags").env("KEEP=config", "OVER=config");
        String id = running(b);
        Result r = cli.call("exec", "--cwd", "/tmp", "--env", "OVER=flag", "--env", "NEW=x y", "--user", "1000:1001",
                "-g", "7", "-g", "8", id, "sh", "-c",
                "pwd; echo KEEP=$KEEP OVER=$OVER NEW=$NEW; id -u; id -g; id -G").assertOk();
        assertEquals("/tmp\nKEEP=config OVER=flag NEW=x y\n1000\n1001\n1001 7 8\n", r.stdout(), r.describe());
    }

    @Test
    void argumentsAfterTheIdAreTheCommandsEvenWhenTheyLookLikeFlags() {
        String id = running("args");
        Result r = cli.call("exec", id, "sh", "-c", "echo \"$@\"", "zero", "-t", "--cap", "-d").assertOk();
        assertEquals("-t --cap -d\n", r.stdout(), r.describe());
    }

    @Test
    void processFileGivesTheWholeProcess() throws Exception {
        String id = running("pfile");
        Path p = sb.dir().resolve("process.json");
        Files.writeString(p, "{\"args\":[\"sh\",\"-c\",\"pwd; echo $A; id -u\"],\"env\":[\"A=from-file\","
                + "\"PATH=/bin\"],\"cwd\":\"/etc\",\"user\":{\"uid\":5,\"gid\":5}}");
        Result r = cli.call("exec", "--process", p.toString(), id).assertOk();
        assertEquals("/etc\nfrom-file\n5\n", r.stdout(), r.describe());
    }

    @Test
    void detachReturnsAtOnceAndThePidFileNamesTheProcess() throws Exception {
        String id = running("detach");
        Path pidFile = sb.dir().resolve("exec.pid");
        long t0 = System.nanoTime();
        cli.call("exec", "-d", "--pid-file", pidFile.toString(), id, "sleep", "30").assertOk();
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 20, "exec -d must not wait for the process");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(Host.alive(pid), "the pid file names the running process " + pid);
        long init = initPid(id);
        assertEquals(Host.nsLink(init, "pid"), Host.nsLink(pid, "pid"), "the process is in the container's PID namespace");
        assertEquals(Files.readString(Path.of("/proc/" + init + "/cgroup")), Files.readString(Path.of("/proc/" + pid
                + "/cgroup")), "the process is in the container's cgroups");
        // runc's exec -d may return before its init has exec'd the process; berth's after the execve.
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> comm(pid).equals("sleep")), "the process becomes sleep");
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void theProcessIsInTheContainersCgroups() {
        String id = running("cgroup");
        long init = initPid(id);
        Result r = cli.call("exec", id, "cat", "/proc/self/cgroup").assertOk();
        // Seen from the host's cgroup namespace (the default config has none of its own).
        String initCgroups = Host.sh("cat /proc/" + init + "/cgroup").stdout();
        assertEquals(initCgroups, r.stdout(), r.describe());
    }

    @Test
    void execIntoAStoppedContainerIsAClearError() {
        Bundle b = sb.bundle("stopped").args("true");
        cli.exec(cli.withBundle("run", b, "-d")).run().assertOk();
        cli.awaitStatus(b.id(), "stopped");
        Result r = cli.call("exec", b.id(), "true");
        assertNotEquals(0, r.exit(), r.describe());
        assertTrue(r.allText().contains("cannot exec in a stopped container"), r.describe());
    }

    @Test
    void execIntoAMissingContainerIsAClearError() {
        Result r = cli.call("exec", sb.id("nosuch"), "true");
        assertNotEquals(0, r.exit(), r.describe());
        assertTrue(r.allText().contains("container does not exist"), r.describe());
    }

    @Test
    void aMissingCommandFailsWithRuncsMessage() {
        String id = running("nocmd");
        Result r = cli.call("exec", id, "no-such-command");
        assertNotEquals(0, r.exit(), r.describe());
        assertTrue(r.allText().contains("executable file not found in $PATH"), r.describe());
        assertEquals("running", cli.status(id), "a failed exec leaves the container running");
    }

    @Test
    void execIntoAPausedContainerNeedsIgnorePaused() throws Exception {
        Bundle b = sb.bundle("paused");
        String id = running(b);
        Path freezer = Host.cgroupDirs(b.cgroupsPath()).stream()
                .filter(d -> Files.exists(d.resolve("freezer.state"))).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(freezer != null, "needs the cgroup v1 freezer");
        // Frozen through the container's own cgroup: "pause" is another command's business.
        Host.sh("echo FROZEN > " + freezer.resolve("freezer.state"));
        sb.onClose("thaw " + id, () -> Host.trySh("echo THAWED > " + freezer.resolve("freezer.state")));
        cli.awaitStatus(id, "paused");
        Result r = cli.call("exec", id, "true");
        assertNotEquals(0, r.exit(), r.describe());
        assertTrue(r.allText().contains("cannot exec in a paused container (use --ignore-paused to override)"),
                r.describe());
        // With --ignore-paused the process joins the frozen cgroup and starts when it is thawed (so
        // does runc's, whose exec waits until then too).
        Path pidFile = sb.dir().resolve("paused.pid");
        dev.berth.it.support.Exec.Running pending =
                cli.exec("exec", "-d", "--ignore-paused", "--pid-file", pidFile.toString(), id, "sleep", "30").start();
        Host.sh("echo THAWED > " + freezer.resolve("freezer.state"));
        pending.await().assertOk();
        cli.awaitStatus(id, "running");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertEquals(Host.nsLink(initPid(id), "pid"), Host.nsLink(pid, "pid"), "the process runs in the container");
    }
}
