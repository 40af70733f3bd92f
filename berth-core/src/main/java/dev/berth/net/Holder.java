package dev.berth.net;

import dev.berth.api.BerthException;
import dev.berth.api.Log;
import dev.berth.plan.Message;
import dev.berth.plan.MessageWriter;
import dev.berth.plan.Protocol;
import dev.berth.rootless.SubIds;
import dev.berth.sys.Subprocess;
import dev.berth.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process that keeps an unprivileged user's network namespace alive: berth-init in holder
 * mode, in a new user namespace (the caller's uid and gid mapped to root, and its subordinate
 * ids after them when it has some) and a new network
 * namespace owned by it. A network namespace made this way can be configured by its owner
 * (slirp4netns, pasta) and joined by a container together with its user namespace; one made by
 * the host's root could not (seed 000).
 */
final class Holder {
    private Holder() {}

    /** Starts a holder and returns its PID once both namespaces exist and lo is up. */
    static int start(Log log) {
        MessageWriter w = new MessageWriter(Protocol.MSG_BOOTSTRAP);
        w.u32(Protocol.P_MODE, Protocol.HELPER_HOLD);
        w.u32(Protocol.P_LOG_LEVEL, log.enabled(Log.Level.DEBUG) ? Protocol.LOG_DEBUG : Protocol.LOG_INFO);
        w.u32(Protocol.P_NEW_NS, InitHelper.CLONE_NEWUSER | NsSyscalls.CLONE_NEWNET);
        InitHelper h = InitHelper.start(w.toBytes());
        try (h) {
            while (true) {
                Message m = h.receive();
                if (m == null) throw new BerthException(BerthException.Kind.SYSTEM, "the netns holder exited at start");
                switch (m.kind()) {
                    case Protocol.MSG_MAP_IDS -> {
                        try {
                            mapOwnIds(m.u32(Protocol.A_PID, h.pid));
                        } catch (BerthException e) {
                            h.ack(e.errno() == 0 ? 1 : e.errno(), e.getMessage());
                            throw e;
                        }
                        h.ack(0, null);
                    }
                    case Protocol.MSG_LOG -> log.debug("berth-init: " + m.str(Protocol.A_MESSAGE, ""));
                    case Protocol.MSG_ERROR -> throw InitHelper.error(m);
                    case Protocol.MSG_READY -> {
                        return h.pid;
                    }
                    default -> throw new BerthException(BerthException.Kind.SYSTEM,
                            "berth-init sent an unexpected message of kind " + m.kind());
                }
            }
        } catch (RuntimeException e) {
            h.kill();
            throw e.getClass() == BerthException.class ? ((BerthException) e).within("start the netns holder") : e;
        }
    }

    /**
     * The caller's own uid and gid become root. When /etc/subuid and /etc/subgid grant the user
     * ranges and newuidmap/newgidmap are installed, the first range follows from id 1 (as podman
     * maps a rootless user namespace), so that containers joining the namespace have more than
     * one id; otherwise the kernel lets any user write the one-id map itself.
     */
    static void mapOwnIds(int pid) {
        long uid = Sys.getuid(), gid = Sys.getgid();
        String user = SubIds.userName(uid);
        List<SubIds.Range> subUids = SubIds.granted(Path.of("/etc/subuid"), user, uid);
        List<SubIds.Range> subGids = SubIds.granted(Path.of("/etc/subgid"), user, uid);
        String newuidmap = Program.find("newuidmap"), newgidmap = Program.find("newgidmap");
        if (!subUids.isEmpty() && !subGids.isEmpty() && newuidmap != null && newgidmap != null) {
            mapTool("newuidmap", newuidmap, pid, uid, subUids.get(0));
            mapTool("newgidmap", newgidmap, pid, gid, subGids.get(0));
            return;
        }
        Path proc = Path.of("/proc/" + pid);
        try {
            Files.writeString(proc.resolve("uid_map"), "0 " + uid + " 1\n");
            Files.writeString(proc.resolve("setgroups"), "deny");
            Files.writeString(proc.resolve("gid_map"), "0 " + gid + " 1\n");
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "write the id maps of the holder " + pid + ": " + e, 0, e);
        }
    }

    private static void mapTool(String name, String path, int pid, long own, SubIds.Range sub) {
        Subprocess.run(name + " " + pid, path, List.of(name, Integer.toString(pid), "0", Long.toString(own), "1", "1",
                Long.toString(sub.first()), Long.toString(sub.count())), List.of(), "", 10);
    }
}
