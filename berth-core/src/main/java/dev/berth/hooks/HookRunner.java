package dev.berth.hooks;

import dev.berth.api.BerthException;
import dev.berth.sys.Spawn;
import dev.berth.sys.Sys;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs the hooks that execute in the runtime's namespace (prestart, createRuntime, poststart,
 * poststop): the container state on stdin, argv and env exactly as configured, a timeout, and
 * the hook's output in the error when it fails.
 */
public final class HookRunner {
    private static final int MAX_OUTPUT = 4096;

    private HookRunner() {}

    /** One hook as config.json gives it. */
    public record Hook(String path, List<String> args, List<String> env, int timeoutSeconds) {}

    /** Runs {@code hooks} in order; the first failure stops the rest and is thrown. */
    public static void runAll(String kind, List<Hook> hooks, String stateJson) {
        for (Hook h : hooks) run(kind, h, stateJson);
    }

    public static void run(String kind, Hook hook, String stateJson) {
        String what = kind + " hook " + hook.path();
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
            List<String> argv = hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
            pid = Spawn.spawn(hook.path(), argv, hook.env(), new int[][] {{in[0], 0}, {out[1], 1}, {out[1], 2}});
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
            writeState(in[1], stateJson);
        } finally {
            Sys.close(in[1]);
        }
        StringBuilder output = new StringBuilder();
        try {
            int status = waitWithTimeout(pid, hook.timeoutSeconds(), out[0], output, what);
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

    // A hook that does not read its stdin must not make berth fail: EPIPE is ignored.
    private static void writeState(int fd, String stateJson) {
        try {
            Sys.write("write state to hook", fd, stateJson.getBytes(StandardCharsets.UTF_8));
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
            byte[] b = Sys.read("read hook output", fd, 4096);
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
