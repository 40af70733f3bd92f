package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.state.ContainerRecord;
import dev.berth.sys.ProcessInfo;
import dev.berth.sys.Sys;
import java.nio.file.Path;

/**
 * exec.fifo: the init of a created container blocks opening it for writing; start opens it for
 * reading, which lets the init go on to execve. Its existence is what "created" means.
 */
final class ExecFifo {
    private ExecFifo() {}

    static void release(Path fifo, ContainerRecord r) {
        int fd = Sys.openat("open " + fifo, fifo.toString(), Sys.O_RDONLY | Sys.O_NONBLOCK | Sys.O_CLOEXEC, 0);
        try {
            // Non-blocking, so that an init that died never leaves start waiting forever.
            long sleep = 0;
            while (true) {
                byte[] b = Sys.read("read " + fifo, fd, 1);
                if (b != null && b.length > 0) break;
                if (!ProcessInfo.isAlive(r.pid(), r.pidStart())) {
                    throw new BerthException(BerthException.Kind.STATE, "container init exited before it was started");
                }
                ContainerOps.sleep(sleep);
                sleep = Math.min(5, sleep + 1);
            }
        } finally {
            Sys.close(fd);
        }
        ContainerOps.deleteQuietly(fifo);
    }
}
