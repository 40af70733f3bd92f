package dev.berth.net;

import dev.berth.api.BerthException;
import dev.berth.sys.Spawn;
import dev.berth.sys.Sys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a host program (a CNI plugin, ip, slirp4netns, pasta) through posix_spawn, never
 * ProcessBuilder, whose reaper would race berth's own waitpid calls. Unlike Subprocess, it keeps
 * stdout apart from stderr: a CNI plugin's result is its stdout.
 */
final class Program {
    private static final int MAX_OUTPUT = 1 << 20;
    private static final List<String> DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
            "/sbin", "/bin");

    /** What a finished program left: its exit status (128+N when killed by signal N) and output. */
    record Outcome(int status, String stdout, String stderr) {
        /** stderr, else stdout, trimmed: what to show a person. */
        String says() {
            String e = stderr.strip();
            return e.isEmpty() ? stdout.strip() : e;
        }
    }

    private Program() {}

    /** The program's path in the usual directories, or null. */
    static String find(String name) {
        for (String d : DIRS) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** {@link #find}, or an error that names the program and the Debian package that has it. */
    static String require(String name, String debianPackage) {
        String p = find(name);
        if (p == null) {
            throw BerthException.invalid(name + " is not installed (Debian package " + debianPackage
                    + ": apt-get install " + debianPackage + ")");
        }
        return p;
    }

    /** Runs to the end (killed after {@code timeoutSeconds}), {@code input} on its stdin. */
    static Outcome run(String what, String path, List<String> argv, List<String> env, String input,
            int timeoutSeconds) {
        int[] in = Sys.pipe(what, Sys.O_CLOEXEC);
        int[] out = Sys.pipe(what, Sys.O_CLOEXEC);
        int[] err = Sys.pipe(what, Sys.O_CLOEXEC);
        int pid;
        try {
            pid = Spawn.spawn(path, argv, env, new int[][] {{in[0], 0}, {out[1], 1}, {err[1], 2}});
        } catch (BerthException e) {
            closeAll(in, out, err);
            throw e.within(what);
        }
        Sys.close(in[0]);
        Sys.close(out[1]);
        Sys.close(err[1]);
        try {
            if (!input.isEmpty()) {
                try {
                    Sys.write(what + ": write its input", in[1], input.getBytes(StandardCharsets.UTF_8));
                } catch (BerthException e) {
                    if (e.errno() != 32) throw e; // EPIPE: it did not read its input; its status says why
                }
            }
            Sys.close(in[1]);
            in[1] = -1;
            StringBuilder o = new StringBuilder();
            StringBuilder e = new StringBuilder();
            int status = waitFor(what, pid, timeoutSeconds, out[0], err[0], o, e);
            return new Outcome(Sys.exitCode(status), o.toString(), e.toString());
        } finally {
            Sys.close(in[1]);
            Sys.close(out[0]);
            Sys.close(err[0]);
        }
    }

    /**
     * Starts a daemon that outlives berth: stdin from /dev/null, stdout and stderr to {@code logFile},
     * and {@code extra} descriptors at the numbers given.
     */
    static int startDaemon(String what, String path, List<String> argv, Path logFile, int[][] extra) {
        int log = Sys.openat("open " + logFile, logFile.toString(),
                Sys.O_WRONLY | Sys.O_CREAT | Sys.O_CLOEXEC | 02000 /* O_APPEND */, 0600);
        int nul = -1;
        try {
            nul = Sys.openat("open /dev/null", "/dev/null", Sys.O_RDONLY | Sys.O_CLOEXEC, 0);
            int[][] fds = new int[3 + extra.length][];
            fds[0] = new int[] {nul, 0};
            fds[1] = new int[] {log, 1};
            fds[2] = new int[] {log, 2};
            System.arraycopy(extra, 0, fds, 3, extra.length);
            return Spawn.spawn(path, argv, List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), fds);
        } catch (BerthException e) {
            throw e.within(what);
        } finally {
            Sys.close(log);
            Sys.close(nul);
        }
    }

    private static int waitFor(String what, int pid, int timeout, int outFd, int errFd, StringBuilder o,
            StringBuilder e) {
        long deadline = System.nanoTime() + timeout * 1_000_000_000L;
        nonBlocking(outFd);
        nonBlocking(errFd);
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

    private static void drain(int fd, StringBuilder sb) {
        while (true) {
            byte[] b = Sys.read("read program output", fd, 65536);
            if (b == null || b.length == 0) return;
            if (sb.length() < MAX_OUTPUT) sb.append(new String(b, StandardCharsets.UTF_8));
        }
    }

    private static void nonBlocking(int fd) {
        long flags = Sys.call("fcntl F_GETFL", Sys.Nr.FCNTL, fd, 3, 0);
        Sys.call("fcntl F_SETFL", Sys.Nr.FCNTL, fd, 4, flags | Sys.O_NONBLOCK);
    }

    private static void closeAll(int[]... pairs) {
        for (int[] p : pairs) {
            Sys.close(p[0]);
            Sys.close(p[1]);
        }
    }
}
