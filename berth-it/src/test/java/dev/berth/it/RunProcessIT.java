package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code run} in the foreground: what the process gets (args, env, cwd, user, umask, names) and what comes back. */
class RunProcessIT extends ContainerTestBase {

    @Test
    void stdoutAndStderrPassThroughUnchanged() {
        Bundle b = sb.bundle("io").sh("echo out-line; echo err-line >&2; echo out-2");
        Result r = cli.run(b).assertOk();
        assertEquals("out-line\nout-2\n", r.stdout(), "container stdout must reach run's stdout unchanged\n" + r.describe());
        assertEquals("err-line\n", r.stderr(), "container stderr must reach run's stderr unchanged\n" + r.describe());
    }

    @ParameterizedTest(name = "exit {0}")
    @ValueSource(ints = {0, 1, 3, 42, 255})
    void exitStatusPassesThrough(int status) {
        Bundle b = sb.bundle("exit" + status).sh("exit " + status);
        Result r = cli.run(b);
        assertEquals(status, r.exit(), "run must exit with the container's status\n" + r.describe());
    }

    /**
     * The process is not PID 1 here (no new PID namespace): PID 1 of a namespace cannot be killed
     * by signals sent from inside it, so the shell would survive {@code kill -9 $$}.
     */
    @ParameterizedTest(name = "SIG{0} -> {1}")
    @CsvSource({"KILL,137", "TERM,143", "USR1,138"})
    void killedBySignalGives128PlusN(String signal, int expected) {
        Bundle b = sb.bundle("sig" + signal).withoutNamespace("pid").sh("kill -" + signal + " $$; sleep 5; exit 7");
        Result r = cli.run(b);
        assertEquals(expected, r.exit(), "a container killed by SIG" + signal + " makes run exit 128+N\n" + r.describe());
    }

    @Test
    void argsReachTheProcessExactly() {
        Bundle b = sb.bundle("args").args("sh", "-c", "echo \"argv0=$0\"; printf 'argv=' ; printf '[%s]' \"$@\"; echo",
                "zeroth", "a b", "c\"d", "", "$HOME", "*");
        Facts f = facts(b);
        assertEquals("zeroth", f.get("argv0"), f.why("$0 is args[3] of sh -c"));
        assertEquals("[a b][c\"d][][$HOME][*]", f.get("argv"), f.why("args are passed one by one, unexpanded"));
    }

    @Test
    void relativeExecutableIsFoundThroughPathAndAbsoluteOneDirectly() {
        Bundle rel = sb.bundle("rel").args("echo", "via-path");
        assertEquals("via-path\n", cli.run(rel).assertOk().stdout());
        Bundle abs = sb.bundle("abs").args("/bin/echo", "absolute");
        assertEquals("absolute\n", cli.run(abs).assertOk().stdout());
    }

    @Test
    void envIsSetAsGiven() {
        Bundle b = sb.bundle("env").env("PLAIN=value", "WITH_EQUALS=a=b=c", "WITH_SPACE=x y", "EMPTY=")
                .sh("env | sort");
        Result r = cli.exec(cli.withBundle("run", b)).env("BERTH_IT_CANARY", "leaked").run().assertOk();
        List<String> lines = List.of(r.stdout().split("\n"));
        for (String want : List.of("PLAIN=value", "WITH_EQUALS=a=b=c", "WITH_SPACE=x y", "EMPTY=",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")) {
            assertTrue(lines.contains(want), "env must contain " + want + "\n" + r.describe());
        }
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("BERTH_IT_CANARY")),
                "the runtime's own environment must not leak into the container\n" + r.describe());
    }

    @Test
    void cwdIsTheConfiguredDirectory() {
        Bundle b = sb.bundle("cwd").sh("echo cwd=$(pwd); echo rel=$(cat ./marker)");
        b.writeFile("srv/app/marker", "here\n");
        b.process().put("cwd", "/srv/app");
        Facts f = facts(b);
        assertEquals("/srv/app", f.get("cwd"), f.why("pwd"));
        assertEquals("here", f.get("rel"), f.why("a relative path resolves against cwd"));
    }

    @Test
    void userUidGidAndAdditionalGids() {
        Bundle b = sb.bundle("user").sh("""
                echo id_u=$(id -u); echo id_g=$(id -g)
                grep -E '^(Uid|Gid|Groups):' /proc/self/status | sed 's/:[[:space:]]*/=/; s/[[:space:]]\\+/ /g'
                """);
        b.process().put("user", Map.of("uid", 1000L, "gid", 1001L, "additionalGids", List.of(10L, 2000L, 30L)));
        Facts f = facts(b);
        assertEquals("1000", f.get("id_u"), f.why("id -u"));
        assertEquals("1001", f.get("id_g"), f.why("id -g"));
        assertEquals("1000 1000 1000 1000", f.get("Uid").strip(), f.why("real, effective, saved and fs uid"));
        assertEquals("1001 1001 1001 1001", f.get("Gid").strip(), f.why("real, effective, saved and fs gid"));
        Set<String> groups = new TreeSet<>(List.of(f.get("Groups").strip().split(" ")));
        assertEquals(new TreeSet<>(List.of("10", "2000", "30")), groups, f.why("supplementary groups = additionalGids"));
    }

    @Test
    void rootUserWithoutAdditionalGidsHasNoSupplementaryGroups() {
        Bundle b = sb.bundle("root").sh("grep -E '^(Uid|Groups):' /proc/self/status | sed 's/:[[:space:]]*/=/'");
        Facts f = facts(b);
        assertTrue(f.get("Uid").strip().startsWith("0"), f.why("uid 0"));
        assertEquals("", f.get("Groups").strip(), f.why("no supplementary groups are inherited from the runtime"));
    }

    /** runc sets HOME from the user's /etc/passwd entry when env has none; tools rely on it. */
    @Test
    void homeComesFromPasswdWhenEnvHasNone() {
        Bundle b = sb.bundle("home").sh("echo home=$HOME");
        b.process().put("user", Map.of("uid", 1000L, "gid", 1000L));
        Facts f = facts(b);
        assertEquals("/home", f.get("home"), f.why("HOME of uid 1000 (tester) in the rootfs's /etc/passwd"));
    }

    @Test
    void umaskIsApplied() {
        Bundle b = sb.bundle("umask").sh("echo umask=$(umask); touch /tmp/f; mkdir /tmp/d; "
                + "echo file=$(stat -c %a /tmp/f); echo dir=$(stat -c %a /tmp/d)");
        b.obj("process", "user").put("umask", 023L);
        Facts f = facts(b);
        assertEquals("0023", f.get("umask"), f.why("umask 023 (decimal 19 in config.json)"));
        assertEquals("644", f.get("file"), f.why("touch creates 0666 & ~umask"));
        assertEquals("754", f.get("dir"), f.why("mkdir creates 0777 & ~umask"));
    }

    @Test
    void defaultUmaskIs0022() {
        Bundle b = sb.bundle("umask0").sh("echo umask=$(umask)");
        b.obj("process", "user").remove("umask");
        Facts f = facts(b);
        assertEquals("0022", f.get("umask"), f.why("umask without user.umask"));
    }

    @Test
    void hostname() throws Exception {
        String hostBefore = Files.readString(Path.of("/proc/sys/kernel/hostname"));
        Bundle b = sb.bundle("uts").sh("echo hostname=$(hostname); echo kh=$(cat /proc/sys/kernel/hostname)");
        b.config().put("hostname", "berth-it-host");
        Facts f = facts(b);
        assertEquals("berth-it-host", f.get("hostname"), f.why("hostname"));
        assertEquals("berth-it-host", f.get("kh"), f.why("/proc/sys/kernel/hostname"));
        assertEquals(hostBefore, Files.readString(Path.of("/proc/sys/kernel/hostname")), "the host's hostname is untouched");
    }

    /**
     * domainname came with runtime-spec 1.1; runc 1.1 (spec 1.0.2) ignores the field, so the check
     * applies to runtimes whose features say ociVersionMax 1.1 or later.
     */
    @Test
    void hostnameAndDomainname() throws Exception {
        assumeTrue(RuntimeUnderTest.implementsSpec(1, 1), "domainname is runtime-spec 1.1; the runtime's ociVersionMax is "
                + RuntimeUnderTest.features().get("ociVersionMax"));
        String hostBefore = Files.readString(Path.of("/proc/sys/kernel/hostname"));
        Bundle b = sb.bundle("uts").sh("echo hostname=$(hostname); echo kh=$(cat /proc/sys/kernel/hostname); "
                + "echo domain=$(cat /proc/sys/kernel/domainname)");
        b.config().put("hostname", "berth-it-host");
        b.config().put("domainname", "example.org");
        Facts f = facts(b);
        assertEquals("berth-it-host", f.get("hostname"), f.why("hostname"));
        assertEquals("berth-it-host", f.get("kh"), f.why("/proc/sys/kernel/hostname"));
        assertEquals("example.org", f.get("domain"), f.why("/proc/sys/kernel/domainname"));
        assertEquals(hostBefore, Files.readString(Path.of("/proc/sys/kernel/hostname")), "the host's hostname is untouched");
    }
}
