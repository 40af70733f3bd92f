package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ConsoleReceiver;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Terminals: process.terminal with --console-socket (a real receiver reads the container through
 * the master it is sent), exec -t, consoleSize, and the foreground terminal of run under
 * {@code script}.
 */
class TerminalIT extends ContainerTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private ConsoleReceiver receiver() {
        ConsoleReceiver r = new ConsoleReceiver(sb.dir().resolve("c.sock"));
        sb.onClose("close console receiver", r::close);
        return r;
    }

    /** The pty turns "\n" into "\r\n" (onlcr): undone for comparisons. */
    /**
     * The text as lines: a terminal ends them with CR LF, and echoes a NUL written to its input as
     * "^@" (runc 1.1 sometimes writes one while it sets up exec -t's console).
     */
    private static String lines(String ttyText) {
        return ttyText.replace("\r", "").replace("^@", "");
    }

    @Test
    void createSendsTheMasterOfAPtyInTheContainersDevpts() {
        Bundle b = sb.bundle("cs").sh("tty; test -t 0 && test -t 1 && test -t 2 && echo all-stdio-are-tty; "
                + "ls -1 /dev/pts; echo done");
        b.process().put("terminal", true);
        ConsoleReceiver rx = receiver();
        cli.create(b, "--console-socket", rx.path().toString());
        rx.receiveMaster(WAIT);
        cli.call("start", b.id()).assertOk();
        String out = lines(rx.readUntil("done", WAIT));
        assertTrue(out.startsWith("/dev/pts/0\n"), "the pty is the first of the container's own devpts: " + out);
        assertTrue(out.contains("all-stdio-are-tty\n"), "stdin, stdout and stderr are the pty: " + out);
        assertTrue(out.contains("\n0\nptmx\ndone"),
                "the container's devpts holds only its own pty: " + out);
    }

    @Test
    void theTerminalCarriesInputAndIsTheControllingTerminal() {
        Bundle b = sb.bundle("input").sh("read line; echo got-$line; cat /proc/self/stat | cut -d' ' -f7; "
                + "ls -l /proc/self/fd/0; echo done");
        b.process().put("terminal", true);
        ConsoleReceiver rx = receiver();
        cli.create(b, "--console-socket", rx.path().toString());
        rx.receiveMaster(WAIT);
        cli.call("start", b.id()).assertOk();
        rx.type("hello\n");
        String out = lines(rx.readUntil("done", WAIT));
        assertTrue(out.contains("got-hello\n"), "typed input reaches the process: " + out);
        // tty_nr of /proc/PID/stat: 136 (pts major) << 8 | 0 = 34816 for /dev/pts/0.
        assertTrue(out.contains("\n34816\n"), "/dev/pts/0 is the controlling terminal: " + out);
    }

    @Test
    void consoleSizeSetsTheWindowSize() {
        Bundle b = sb.bundle("size").sh("stty size; echo done");
        b.process().put("terminal", true);
        b.process().put("consoleSize", Map.of("height", 30, "width", 100));
        ConsoleReceiver rx = receiver();
        cli.create(b, "--console-socket", rx.path().toString());
        rx.receiveMaster(WAIT);
        cli.call("start", b.id()).assertOk();
        assertTrue(lines(rx.readUntil("done", WAIT)).contains("30 100\n"), "consoleSize is rows 30, columns 100");
    }

    @Test
    void execWithATerminalAndAConsoleSocket() {
        Bundle b = sb.bundle("exec").args("sleep", "1000");
        cli.exec(cli.withBundle("run", b, "-d")).run().assertOk();
        ConsoleReceiver rx = receiver();
        cli.call("exec", "-t", "-d", "--console-socket", rx.path().toString(), b.id(), "sh", "-c",
                "tty; test -t 0 && echo stdin-is-tty; read x; echo got-$x; echo done").assertOk();
        rx.receiveMaster(WAIT);
        rx.type("typed\n");
        String out = lines(rx.readUntil("done", WAIT));
        assertTrue(out.startsWith("/dev/pts/"), "exec's terminal is a pty of the container's devpts: " + out);
        assertTrue(out.contains("stdin-is-tty\n"), out);
        assertTrue(out.contains("got-typed\n"), "typed input reaches the process: " + out);
    }

    @Test
    void aTerminalWithoutConsoleSocketCannotBeDetached() {
        Bundle b = sb.bundle("nosock").args("true");
        b.process().put("terminal", true);
        Result r = cli.exec(cli.withBundle("create", b)).run();
        assertNotEquals(0, r.exit(), r.describe());
        assertTrue(r.allText().contains("cannot allocate tty if"), r.describe());
        assertTrue(cli.listIds().isEmpty(), "nothing is left behind");
    }

    @Test
    void aConsoleSocketWithoutTerminalIsRefused() {
        Bundle b = sb.bundle("noterm").args("true");
        Result r = cli.exec(cli.withBundle("create", b, "--console-socket", sb.dir().resolve("x.sock").toString()))
                .run();
        assertNotEquals(0, r.exit(), r.describe());
        assertTrue(r.allText().contains("cannot use console socket if"), r.describe());
    }

    /**
     * run in the foreground with a terminal and no console socket: the runtime is the
     * container's terminal. Under script(1) its stdin is a terminal; the settings of that
     * terminal are the same before and after (raw mode is undone).
     */
    @Test
    void foregroundRunWithATerminalUnderScript() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script (bsdutils)");
        Bundle b = sb.bundle("fg").sh("test -t 0 && echo stdin-is-tty; tty; exit 3");
        b.process().put("terminal", true);
        String cmd = String.join(" ", quoted(cli.argv(cli.withBundle("run", b))));
        Path before = sb.dir().resolve("before"), after = sb.dir().resolve("after");
        String inner = "stty -g > " + before + "; " + cmd + "; echo status=$?; stty -g > " + after;
        Result r = Exec.of("script", "-qec", inner, "/dev/null").scratch(sb.dir()).timeout(Duration.ofSeconds(60))
                .run();
        String out = lines(r.stdout());
        assertTrue(out.contains("stdin-is-tty\n"), r.describe());
        assertTrue(out.contains("/dev/pts/0\n"), "the container has its own pty: " + r.describe());
        assertTrue(out.contains("status=3\n"), "run exits with the container's status: " + r.describe());
        assertEquals(Files.readString(before), Files.readString(after), "the caller's terminal is restored");
    }

    /** exec -t in the foreground: the runtime copies its terminal to the process's pty. */
    @Test
    void foregroundExecWithATerminalUnderScript() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script (bsdutils)");
        Bundle b = sb.bundle("fgexec").args("sleep", "1000");
        cli.exec(cli.withBundle("run", b, "-d")).run().assertOk();
        String cmd = String.join(" ", quoted(cli.argv("exec", "-t", b.id(), "sh", "-c",
                "test -t 0 && echo stdin-is-tty; tty; exit 4")));
        Path before = sb.dir().resolve("before"), after = sb.dir().resolve("after");
        String inner = "stty -g > " + before + "; " + cmd + "; echo status=$?; stty -g > " + after;
        Result r = Exec.of("script", "-qec", inner, "/dev/null").scratch(sb.dir()).timeout(Duration.ofSeconds(60))
                .run();
        String out = lines(r.stdout());
        assertTrue(out.contains("stdin-is-tty\n"), r.describe());
        assertTrue(out.contains("/dev/pts/"), r.describe());
        assertTrue(out.contains("status=4\n"), "exec exits with the process's status: " + r.describe());
        assertEquals(Files.readString(before), Files.readString(after), "the caller's terminal is restored");
    }

    private static List<String> quoted(List<String> argv) {
        return argv.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList();
    }
}
