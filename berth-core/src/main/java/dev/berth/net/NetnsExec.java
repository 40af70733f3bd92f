package dev.berth.net;

import dev.berth.api.BerthException;
import dev.berth.plan.Message;
import dev.berth.plan.MessageWriter;
import dev.berth.plan.Protocol;
import dev.berth.sys.Sys;
import java.util.List;

/**
 * {@code berth netns exec}: berth-init in exec mode joins the namespace (and, rootless, the user
 * namespace that owns it, in the order seed 000 needs) and execs the command with berth's stdio,
 * environment and working directory; berth waits and returns its exit status.
 */
final class NetnsExec {
    private NetnsExec() {}

    static int run(NetnsRecord r, List<String> argv, List<String> env, String cwd, int logLevel) {
        MessageWriter w = new MessageWriter(Protocol.MSG_BOOTSTRAP);
        w.u32(Protocol.P_MODE, Protocol.HELPER_EXEC);
        w.u32(Protocol.P_LOG_LEVEL, logLevel);
        w.u32(Protocol.P_NEW_NS, 0);
        InitHelper.joins(w, InitHelper.joinsOf(r));
        w.begin(Protocol.P_PROCESS);
        for (String a : argv) w.str(Protocol.PR_ARG, a);
        for (String e : env) w.str(Protocol.PR_ENV, e);
        w.str(Protocol.PR_CWD, cwd);
        // Root inside: the host's root for /run/netns, the caller's own id mapped to 0 for a holder's.
        w.u32(Protocol.PR_UID, 0);
        w.u32(Protocol.PR_GID, 0);
        w.end();
        InitHelper h = InitHelper.start(w.toBytes());
        BerthException failure = null;
        try (h) {
            while (true) {
                Message m = h.receive();
                if (m == null) break;
                if (m.kind() == Protocol.MSG_ERROR) {
                    failure = InitHelper.error(m);
                    break;
                }
            }
        }
        int status = Sys.waitpid(h.pid, 0);
        if (failure != null) throw failure.within("netns exec " + r.name());
        return Sys.exitCode(status);
    }
}
