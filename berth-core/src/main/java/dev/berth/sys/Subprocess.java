package dev.berth.sys;

import dev.berth.api.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs a helper program of the host (a hook, newuidmap) and waits for it: stdin fed, stdout and
 * stderr captured for the error message, a timeout. Spawned with posix_spawn, never through
 * ProcessBuilder, whose reaper would race berth's own waitpid calls.
 */
public final class Subprocess {
    private static final int MAX_OUTPUT = 4096;

    private Subprocess() {}

    /**
     * Runs {@code path} with exactly {@code argv} and {@code env}, {@code input} on its stdin,
     * and waits at most {@code timeoutSeconds} (0: no limit). A failure is thrown with the
     * program's output; {@code what} names it in every message.
     */
    public static void run(String what, String path, List<String> argv, List<String> env, String input,
            int timeoutSeconds) {
        int[] in = Sys.pipe(what, Sys.O_CLOEXEC);
        int[] out;
        try {
            out = Sys.pipe(what, Sys.O_CLOEXEC);
        } catch (RuntimeException e) {
            Sys.close(in[0]);
            Sys.close(in[1]);
            throw e;
        }
        int pid;
        try {
            pid = Spawn.spawn(path, argv, env, new int[][] {{in[0], 0}, {out[1], 1}, {out[1], 2}});
        } catch (BerthException e) {
            Sys.close(in[0]);
            Sys.close(in[1]);
            Sys.close(out[0]);
            Sys.close(out[1]);
            throw new BerthException(BerthException.Kind.SYSTEM, what + ": " + e.getMessage(), e.errno(), e);
        }
        Sys.close(in[0]);
        Sys.close(out[1]);
        try {
            writeInput(in[1], input);
        } finally {
            Sys.close(in[1]);
        }
        StringBuilder output = new StringBuilder();
        try {
            int status = waitWithTimeout(pid, timeoutSeconds, out[0], output, what);
            if (status != 0) {
                String cause = (status & 0x7f) != 0 ? "killed by signal " + (status & 0x7f)
                        : "exit status " + ((status >> 8) & 0xff);
                String text = output.toString().strip();
                throw new BerthException(BerthException.Kind.SYSTEM,
                        what + ": " + cause + (text.isEmpty() ? "" : ": " + text));
            }
        } finally {
            Sys.close(out[0]);
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

    private static int waitWithTimeout(int pid, int timeout, int outFd, StringBuilder output, String what) {
        long deadline = timeout > 0 ? System.nanoTime() + timeout * 1_000_000_000L : Long.MAX_VALUE;
        setNonBlocking(outFd);
        long sleep = 1;
        while (true) {
            drain(outFd, output);
            int status = Sys.waitpid(pid, Sys.WNOHANG);
            if (status != -1) {
                drain(outFd, output);
                return status;
            }
            if (System.nanoTime() > deadline) {
                Sys.signal(pid, 0, 9);
                Sys.waitpid(pid, 0);
                throw new BerthException(BerthException.Kind.SYSTEM, what + ": timed out after " + timeout + " s");
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sleep = Math.min(20, sleep * 2);
        }
    }

    private static void drain(int fd, StringBuilder output) {
        while (true) {
            byte[] b = Sys.read("read program output", fd, 4096);
            if (b == null || b.length == 0) return;
            if (output.length() < MAX_OUTPUT) {
                output.append(new String(b, StandardCharsets.UTF_8));
                if (output.length() > MAX_OUTPUT) output.setLength(MAX_OUTPUT);
            }
        }
    }

    private static void setNonBlocking(int fd) {
        long flags = Sys.call("fcntl F_GETFL", Sys.Nr.FCNTL, fd, 3, 0);
        Sys.call("fcntl F_SETFL", Sys.Nr.FCNTL, fd, 4, flags | Sys.O_NONBLOCK);
    }
}
