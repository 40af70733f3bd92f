package dev.berth.engine;

import dev.berth.api.Status;
import dev.berth.json.Json;
import dev.berth.spec.Seccomp;
import dev.berth.state.ContainerRecord;
import dev.berth.sys.Sys;
import dev.berth.sys.UnixSocket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a seccomp notify descriptor to the agent at linux.seccomp.listenerPath, as runtime-spec
 * (seccomp.md) and runc do: one message on a fresh connection, the container process state as
 * JSON with the descriptor in SCM_RIGHTS.
 */
final class SeccompListener {
    /** The name runtime-spec gives the descriptor in "fds". */
    static final String SECCOMP_FD = "seccompFd";

    private SeccompListener() {}

    static void send(Seccomp seccomp, ContainerRecord record, int pid, int notifyFd) {
        String path = seccomp.listenerPath();
        int sock = UnixSocket.connect("connect to the seccomp agent at " + path, path);
        try {
            byte[] state = processState(seccomp, record, pid).getBytes(StandardCharsets.UTF_8);
            UnixSocket.sendFd("send the seccomp descriptor to " + path, sock, state, notifyFd);
        } finally {
            Sys.close(sock);
        }
    }

    /** The runtime-spec ContainerProcessState: the state, the process and what the fds are. */
    static String processState(Seccomp seccomp, ContainerRecord record, int pid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", record.ociVersion());
        m.put("fds", List.of(SECCOMP_FD));
        m.put("pid", (long) pid);
        if (seccomp.listenerMetadata() != null) m.put("metadata", seccomp.listenerMetadata());
        m.put("state", Json.parse(HookState.json(record, Status.CREATING, record.pid()), "state"));
        return Json.write(m, false);
    }
}
