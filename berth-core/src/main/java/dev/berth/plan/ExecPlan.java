package dev.berth.plan;

import dev.berth.spec.LinuxSpec;
import dev.berth.spec.ProcessSpec;
import java.util.List;

/**
 * The MSG_BOOTSTRAP of exec mode: the namespaces of the container's init to join, and the
 * process, encoded by the same code as create's so that every process setting applies to both.
 */
public final class ExecPlan {
    private ExecPlan() {}

    /** One namespace of the init: its CLONE_NEW* flag and /proc/PID/ns path. */
    public record Join(int cloneFlag, String path) {
    }

    /**
     * @param pidfd the helper gets a pidfd of the init at BERTH_FD_PIDFD and tries setns on it first
     * @param linux the container's linux section (its seccomp filter, personality, labels)
     * @param warnings where warnings of the encoding go (system calls libseccomp does not know)
     * @param passedFds descriptors from 3 up that the process gets (--preserve-fds)
     */
    public static byte[] build(ProcessSpec process, LinuxSpec linux, List<String> warnings, List<Join> joins,
            boolean pidfd, int passedFds, int logLevel) {
        MessageWriter w = new MessageWriter(Protocol.MSG_BOOTSTRAP);
        w.u32(Protocol.P_MODE, Protocol.HELPER_EXEC);
        w.u32(Protocol.P_LOG_LEVEL, logLevel);
        if (pidfd) w.u32(Protocol.P_JOIN_PIDFD, 1);
        if (process.terminal()) w.u32(Protocol.P_CONSOLE, 1);
        if (passedFds > 0) w.u32(Protocol.P_PRESERVE_FDS, passedFds);
        for (Join j : joins) {
            w.begin(Protocol.P_JOIN_NS).u32(Protocol.A_NSTYPE, j.cloneFlag()).str(Protocol.A_PATH, j.path()).end();
        }
        // The container's seccomp filter, personality and labels apply to exec'd processes too.
        ProcessPlanner.write(w, process, linux, warnings, true);
        return w.toBytes();
    }
}
