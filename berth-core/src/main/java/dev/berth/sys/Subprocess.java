package dev.berth.sys;

import dev.berth.api.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs a program of the host (a hook, newuidmap, a CNI plugin, pasta) and waits for it: stdin
 * fed, stdout and stderr captured apart, a timeout. Spawned with posix_spawn, never through
 * ProcessBuilder, whose reaper would race berth's own waitpid calls.
 */
public final class Subprocess {
    private static final int MESSAGE_OUTPUT = 4096;
    private static final int MAX_OUTPUT = 1 << 20;

    private static final List<String> DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
            "/sbin", "/bin");

    private Subprocess() {}

    /** A program's path in the directories Debian installs programs in, or null. */
    public static String find(String name) {
        for (String d : DIRS) {
            java.nio.file.Path p = java.nio.file.Path.of(d, name);
            if (java.nio.file.Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** What a finished program left: its wait(2) status and its output. */
    public record Outcome(int waitStatus, String stdout, String stderr) {
        /** The exit status, 128+N when killed by signal N. */
        public int status() {
            return Sys.exitCode(waitStatus);
        }

        /** stderr, else stdout, trimmed: what to show a person. */
        public String says() {
            String e = stderr.strip();
            return e.isEmpty() ? stdout.strip() : e;
        }
    }

    /**
     * Runs {@code path} with exactly {@code argv} and {@code env}, {@code input} on its stdin,
     * and waits at most {@code timeoutSeconds} (0: no limit). A failure is thrown with the
     * program's output; {@code what} names it in every message.
     */
    public static void run(String what, String path, List<String> argv, List<String> env, String input,
            int timeoutSeconds) {
        Outcome o = capture(what, path, argv, env, input, timeoutSeconds);
        if (o.waitStatus() == 0) return;
        int status = o.waitStatus();
        String cause = (status & 0x7f) != 0 ? "killed by signal " + (status & 0x7f)
                : "exit status " + ((status >> 8) & 0xff);
        String text = (o.stdout() + o.stderr()).strip();
        if (text.length() > MESSAGE_OUTPUT) text = text.substring(0, MESSAGE_OUTPUT);
        throw new BerthException(BerthException.Kind.SYSTEM, what + ": " + cause + (text.isEmpty() ? "" : ": " + text));
    }

    /** Like {@link #run}, but a non-zero status is the caller's to judge. */
    public static Outcome capture(String what, String path, List<String> argv, List<String> env, String input,
            int timeoutSeconds) {
        int[] in = Sys.pipe(what, Sys.O_CLOEXEC);
        int[] out = null, err = null;
        int pid;
        try {
            out = Sys.pipe(what, Sys.O_CLOEXEC);
            err = Sys.pipe(what, Sys.O_CLOEXEC);
            pid = Spawn.spawn(path, argv, env, new int[][] {{in[0], 0}, {out[1], 1}, {err[1], 2}});
        } catch (BerthException e) {
            closeAll(in, out, err);
            throw new BerthException(BerthException.Kind.SYSTEM, what + ": " + e.getMessage(), e.errno(), e);
        }
        Sys.close(in[0]);
        Sys.close(out[1]);
        Sys.close(err[1]);
        try {
            writeInput(in[1], input);
            Sys.close(in[1]);
            in[1] = -1;
            StringBuilder o = new StringBuilder(), e = new StringBuilder();
            int status = waitWithTimeout(pid, timeoutSeconds, out[0], err[0], o, e, what);
            return new Outcome(status, o.toString(), e.toString());
        } finally {
            Sys.close(in[1]);
            Sys.close(out[0]);
            Sys.close(err[0]);
        }
    }

    // A program that does not read its stdin must not make berth fail: EPIPE is ignored.
    private static void writeInput(int fd, String input) {
        if (input.isEmpty()) return;
        try {
            Sys.write("write to stdin of a program", fd, input.getBytes(StandardCharsets.UTF_8));
        } catch (BerthException e) {
            if (e.errno() != 32) throw e;
        }
    }

    private static int waitWithTimeout(int pid, int timeout, int outFd, int errFd, StringBuilder o, StringBuilder e,
            String what) {
        long deadline = timeout > 0 ? System.nanoTime() + timeout * 1_000_000_000L : Long.MAX_VALUE;
        setNonBlocking(outFd);
        setNonBlocking(errFd);
        long sleep = 1;
        while (true) {
            drain(outFd, o);
            drain(errFd, e);
            int status = Sys.waitpid(pid, Sys.WNOHANG);
            if (status != -1) {
                drain(outFd, o);
                drain(errFd, e);
                return status;
            }
            if (System.nanoTime() > deadline) {
                Sys.signal(pid, 0, 9);
                Sys.waitpid(pid, 0);
                throw new BerthException(BerthException.Kind.SYSTEM, what + ": timed out after " + timeout + " s");
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            sleep = Math.min(20, sleep * 2);
        }
    }

    private static void drain(int fd, StringBuilder output) {
        while (true) {
            byte[] b = Sys.read("read program output", fd, 65536);
            if (b == null || b.length == 0) return;
            if (output.length() < MAX_OUTPUT) output.append(new String(b, StandardCharsets.UTF_8));
        }
    }

    private static void setNonBlocking(int fd) {
        long flags = Sys.call("fcntl F_GETFL", Sys.Nr.FCNTL, fd, 3, 0);
        Sys.call("fcntl F_SETFL", Sys.Nr.FCNTL, fd, 4, flags | Sys.O_NONBLOCK);
    }

    private static void closeAll(int[]... pairs) {
        for (int[] p : pairs) {
            if (p == null) continue;
            Sys.close(p[0]);
            Sys.close(p[1]);
        }
    }
}
