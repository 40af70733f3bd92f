package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import dev.berth.it.support.Json;
import dev.berth.it.support.Leftovers;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** linux.seccomp: the effect of each kind of rule on the container's system calls. */
class SeccompIT extends ContainerTestBase {
    private static final int ERANGE = 34;

    private static Map<String, Object> rule(String action, Long errnoRet, String... names) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("names", List.of((Object[]) names));
        r.put("action", action);
        if (errnoRet != null) r.put("errnoRet", errnoRet);
        return r;
    }

    private static Map<String, Object> arg(long index, long value, long valueTwo, String op) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("index", index);
        a.put("value", value);
        if (valueTwo != 0) a.put("valueTwo", valueTwo);
        a.put("op", op);
        return a;
    }

    @SafeVarargs
    private static void seccomp(Bundle b, String defaultAction, Map<String, Object>... rules) {
        Map<String, Object> s = b.obj("linux", "seccomp");
        s.put("defaultAction", defaultAction);
        s.put("architectures", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"));
        s.put("syscalls", new ArrayList<Object>(List.of((Object[]) rules)));
    }

    /** mkdir is mkdir or mkdirat, whichever the C library uses. */
    private static String mkdirScript() {
        return "mkdir /tmp/d 2>/tmp/err; echo rc=$?; echo err=$(cat /tmp/err); echo probe=ok";
    }

    @Test
    void errnoRuleReturnsTheConfiguredErrno() {
        Bundle b = sb.bundle("errno").sh(mkdirScript() + "; grep Seccomp: /proc/self/status | tr -d '\\t' | tr : =");
        seccomp(b, "SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", (long) ERANGE, "mkdir", "mkdirat"));
        Facts f = facts(b);
        assertEquals("1", f.get("rc"), f.why("mkdir fails"));
        assertTrue(f.get("err").contains("Numerical result out of range"), f.why("with ERANGE, the errnoRet given"));
        assertEquals("2", f.get("Seccomp"), f.why("the process runs in seccomp filter mode"));
    }

    @Test
    void errnoWithoutErrnoRetIsEperm() {
        Bundle b = sb.bundle("eperm").sh(mkdirScript());
        seccomp(b, "SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", null, "mkdir", "mkdirat"));
        Facts f = facts(b);
        assertTrue(f.get("err").contains("Operation not permitted"), f.why("EPERM by default"));
    }

    /** Conditions: kill is refused only for SIGUSR1 (arg 1 == 10); two conditions on one argument are ORed. */
    @Test
    void argumentConditionsSelectTheCalls() {
        Bundle b = sb.bundle("args").sh("kill -0 $$ && echo sig0=ok; kill -USR1 $$ 2>/tmp/e1; echo usr1=$?; "
                + "kill -USR2 $$ 2>/tmp/e2; echo usr2=$?; echo e1=$(cat /tmp/e1); "
                + "trap 'echo hup=caught' HUP; kill -HUP $$; echo done=1");
        Map<String, Object> kill = rule("SCMP_ACT_ERRNO", (long) ERANGE, "kill");
        kill.put("args", List.of(arg(1, 10, 0, "SCMP_CMP_EQ"), arg(1, 12, 0, "SCMP_CMP_EQ")));
        seccomp(b, "SCMP_ACT_ALLOW", kill);
        Facts f = facts(b);
        assertEquals("ok", f.get("sig0"), f.why("kill -0 is not matched"));
        assertEquals("1", f.get("usr1"), f.why("kill -USR1 (10) is refused"));
        assertEquals("1", f.get("usr2"), f.why("kill -USR2 (12) is refused: conditions on one argument are ORed"));
        assertTrue(f.get("e1").contains("Numerical result out of range"), f.why("with ERANGE"));
        assertEquals("caught", f.get("hup"), f.why("kill -HUP is not matched"));
    }

    /** SCMP_CMP_MASKED_EQ: openat with O_CREAT (0100) set is refused, a plain open works. */
    @Test
    void maskedEqualMatchesFlagBits() {
        Bundle b = sb.bundle("masked").sh("cat /etc/passwd | grep -q root && echo read=ok; "
                + "(echo x > /tmp/new) && echo create=ok || echo create=refused");
        Map<String, Object> openat = rule("SCMP_ACT_ERRNO", (long) ERANGE, "openat");
        openat.put("args", List.of(arg(2, 0100, 0100, "SCMP_CMP_MASKED_EQ")));
        Map<String, Object> open = rule("SCMP_ACT_ERRNO", (long) ERANGE, "open");
        open.put("args", List.of(arg(1, 0100, 0100, "SCMP_CMP_MASKED_EQ")));
        seccomp(b, "SCMP_ACT_ALLOW", openat, open);
        b.writeFile("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
        Facts f = facts(b);
        assertEquals("ok", f.get("read"), f.why("open without O_CREAT is allowed"));
        assertEquals("refused", f.get("create"), f.why("open with O_CREAT is refused"));
    }

    @Test
    void killProcessEndsTheContainerWithSigsys() {
        Bundle b = sb.bundle("kill").args("mkdir", "/tmp/x");
        seccomp(b, "SCMP_ACT_ALLOW", rule("SCMP_ACT_KILL_PROCESS", null, "mkdir", "mkdirat"));
        Result r = cli.run(b);
        assertEquals(128 + 31, r.exit(), "killed by SIGSYS (31)\n" + r.describe());
    }

    /** Without no_new_privs the filter is loaded before the user switch (it needs CAP_SYS_ADMIN then). */
    @Test
    void aFilterWorksWithoutNoNewPrivilegesForANonRootUser() {
        Bundle b = sb.bundle("nonnp").sh(mkdirScript() + "; echo uid=$(id -u); "
                + "grep NoNewPrivs /proc/self/status | tr -d '\\t' | tr : =");
        b.process().put("noNewPrivileges", false);
        b.process().put("user", Map.of("uid", 1000L, "gid", 1000L));
        seccomp(b, "SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", (long) ERANGE, "mkdir", "mkdirat"));
        Facts f = facts(b);
        assertEquals("1000", f.get("uid"), f.why("runs as uid 1000"));
        assertEquals("0", f.get("NoNewPrivs"), f.why("no_new_privs stays off"));
        assertTrue(f.get("err").contains("Numerical result out of range"), f.why("the filter is loaded"));
    }

    /** libseccomp does not know the name: the rule's other names still apply; berth says which it skipped. */
    @Test
    void unknownSyscallNameIsSkipped() {
        Bundle b = sb.bundle("unknown").sh(mkdirScript());
        seccomp(b, "SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", (long) ERANGE, "no_such_syscall", "mkdir", "mkdirat"));
        Result r = cli.run(b);
        Facts f = Facts.of(r);
        assertTrue(f.get("err").contains("Numerical result out of range"), f.why("mkdir is still refused"));
        if (RuntimeUnderTest.isBerth()) {
            assertTrue(r.allText().contains("no_such_syscall"), "berth warns about the skipped name\n" + r.describe());
        }
    }

    @Test
    void unknownActionIsRefused() {
        Bundle b = sb.bundle("badaction").sh("true");
        seccomp(b, "SCMP_ACT_ALLOW", rule("SCMP_ACT_EXPLODE", null, "mkdir"));
        b.write();
        Result r = cli.exec("create", "--bundle", b.dir().toString(), b.id()).run();
        assertTrue(r.exit() != 0, "create must fail\n" + r.describe());
        if (RuntimeUnderTest.isBerth()) {
            assertEquals(1, r.exit(), r.describe());
            assertTrue(r.stderr().contains("linux.seccomp.syscalls[0].action"), "names the field\n" + r.describe());
        }
        Leftovers.assertNone(cli, b);
    }

    /**
     * SCMP_ACT_NOTIFY: the runtime sends the notify descriptor and the container process state to
     * the agent at listenerPath; the agent (a small python3 program) answers mkdir with ENODATA.
     */
    @Test
    void notifyDeliversTheDescriptorToTheListener() throws Exception {
        assumeTrue(Host.trySh("command -v python3").ok(), "the test agent needs python3");
        Path dir = sb.mkdir("agent");
        Path socket = dir.resolve("agent.sock");
        Path stateFile = dir.resolve("state.json");
        Path agent = Path.of(getClass().getResource("/seccomp-agent.py").toURI());
        Exec.Running running = Exec.of("python3", agent.toString(), socket.toString(), stateFile.toString(), "61")
                .timeout(Duration.ofSeconds(90)).start();
        sb.killAtClose(running.pid());
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(Path.of(socket + ".ready"))),
                "the agent listens");
        Bundle b = sb.bundle("notify").sh(mkdirScript());
        seccomp(b, "SCMP_ACT_ALLOW", rule("SCMP_ACT_NOTIFY", null, "mkdir", "mkdirat"));
        b.obj("linux", "seccomp").put("listenerPath", socket.toString());
        b.obj("linux", "seccomp").put("listenerMetadata", "berth-it");
        Facts f = facts(b);
        assertTrue(f.get("err").contains("No data available"), f.why("the agent answered mkdir with ENODATA"));
        Map<String, Object> state = Json.parseObject(Files.readString(stateFile));
        assertEquals(List.of("seccompFd"), state.get("fds"), "the descriptor is named seccompFd: " + state);
        assertEquals("berth-it", state.get("metadata"), "listenerMetadata is passed: " + state);
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) state.get("state");
        assertEquals(b.id(), inner.get("id"), "the state names the container: " + state);
        assertEquals(b.dir().toString(), inner.get("bundle"), "and its bundle: " + state);
        assertFalse(String.valueOf(state.get("pid")).isEmpty(), "and the process: " + state);
    }

    /** Nobody listens at listenerPath: create fails (as with runc) and leaves nothing behind. */
    @Test
    void notifyWithoutAListenerFailsCreate() {
        Bundle b = sb.bundle("nolistener").sh("true");
        seccomp(b, "SCMP_ACT_ALLOW", rule("SCMP_ACT_NOTIFY", null, "mkdir", "mkdirat"));
        b.obj("linux", "seccomp").put("listenerPath", sb.dir().resolve("nobody-listens.sock").toString());
        b.write();
        Result r = cli.exec("create", "--bundle", b.dir().toString(), b.id()).run();
        assertEquals(1, r.exit(), "create must fail\n" + r.describe());
        if (RuntimeUnderTest.isBerth()) {
            assertTrue(r.stderr().contains("connect to the seccomp agent at " + sb.dir().resolve("nobody-listens.sock")),
                    "the error names the listener\n" + r.describe());
        }
        Leftovers.assertNone(cli, b);
    }

    /** startContainer hooks run in the container under its filter, as runc runs them. */
    @Test
    void startContainerHooksRunUnderTheFilter() {
        Bundle b = sb.bundle("hook").sh("echo hookerr=$(cat /tmp/hookerr)");
        seccomp(b, "SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", (long) ERANGE, "mkdir", "mkdirat"));
        b.hook("startContainer", "/bin/sh", List.of("sh", "-c", "mkdir /tmp/hookdir 2>/tmp/hookerr; exit 0"), null, null);
        Facts f = facts(b);
        assertTrue(f.get("hookerr").contains("Numerical result out of range"), f.why("the hook's mkdir is refused"));
    }
}
