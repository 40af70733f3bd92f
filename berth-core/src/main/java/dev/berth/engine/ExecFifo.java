package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.state.ContainerRecord;
import dev.berth.sys.ProcessInfo;
import dev.berth.sys.Sys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * exec.fifo: the init of a created container blocks opening it for writing; start opens it for
 * reading, which lets the init go on to execve. Its existence is what "created" means.
 */
final class ExecFifo {
    private ExecFifo() {}

    private static final int F_SETFL = 4;

    /**
     * Lets the init go on, then waits until it has exec'd the user process: execve closes the
     * init's end of the fifo, and a failure before it (a startContainer hook, the execve itself)
     * arrives as text in its place, which makes start fail as the runtime-spec asks.
     */
    static void release(Path fifo, ContainerRecord r) {
        int fd = Sys.openat("open " + fifo, fifo.toString(), Sys.O_RDONLY | Sys.O_NONBLOCK | Sys.O_CLOEXEC, 0);
        StringBuilder failure = new StringBuilder();
        try {
            // Non-blocking until the init opened its end, so that an init that died never leaves
            // start waiting forever.
            long sleep = 0;
            while (true) {
                byte[] b = Sys.read("read " + fifo, fd, 4096);
                if (b != null && b.length > 0) {
                    failure.append(new String(b, 1, b.length - 1, StandardCharsets.UTF_8));
                    break;
                }
                if (!ProcessInfo.isAlive(r.pid(), r.pidStart())) {
                    // A short process may have been released, run and exited between the read and
                    // this check: what it wrote is still in the fifo.
                    b = Sys.read("read " + fifo, fd, 4096);
                    if (b != null && b.length > 0) {
                        failure.append(new String(b, 1, b.length - 1, StandardCharsets.UTF_8));
                        break;
                    }
                    throw new BerthException(BerthException.Kind.STATE, "container init exited before it was started");
                }
                ContainerOps.sleep(sleep);
                sleep = Math.min(5, sleep + 1);
            }
            ContainerOps.deleteQuietly(fifo);
            Sys.call("wait for the container process to start", Sys.Nr.FCNTL, fd, F_SETFL, 0);
            for (byte[] b; (b = Sys.read("read " + fifo, fd, 4096)) != null && b.length > 0; ) {
                failure.append(new String(b, StandardCharsets.UTF_8));
            }
        } finally {
            Sys.close(fd);
        }
        if (!failure.isEmpty()) {
            throw new BerthException(BerthException.Kind.SYSTEM, "container process failed to start: " + failure);
        }
    }
}
