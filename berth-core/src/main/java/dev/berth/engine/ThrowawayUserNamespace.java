package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.plan.IdmapPlan;
import dev.berth.plan.Message;
import dev.berth.plan.MessageWriter;
import dev.berth.plan.Protocol;
import dev.berth.spec.IdMapping;
import dev.berth.sys.Sys;

/**
 * A user namespace that exists only to carry one mount's uidMappings/gidMappings for
 * mount_setattr(MOUNT_ATTR_IDMAP). A JVM cannot unshare a user namespace (it is multi-threaded),
 * so berth-init in holder mode creates it and asks for its maps; berth writes them, opens
 * /proc/PID/ns/user and kills the helper without answering. The descriptor alone keeps the
 * namespace alive, and an idmapped mount keeps its own reference, so nothing outlives create.
 */
final class ThrowawayUserNamespace {
    private static final int CLONE_NEWUSER = 0x10000000;

    private ThrowawayUserNamespace() {}

    /** A close-on-exec descriptor of a new user namespace whose maps are {@code mapping}; the caller closes it. */
    static int open(IdmapPlan.Mapping mapping) {
        MessageWriter w = new MessageWriter(Protocol.MSG_BOOTSTRAP);
        w.u32(Protocol.P_MODE, Protocol.HELPER_HOLD);
        w.u32(Protocol.P_LOG_LEVEL, Protocol.LOG_WARN);
        w.u32(Protocol.P_NEW_NS, CLONE_NEWUSER);
        HelperProcess helper = HelperProcess.spawn(-1, 0);
        HelperChannel channel = helper.channel();
        try {
            channel.send(w.toBytes());
            while (true) {
                Message m = channel.receive();
                if (m == null) {
                    throw new BerthException(BerthException.Kind.SYSTEM, "berth-init exited before it made the user namespace");
                }
                switch (m.kind()) {
                    case Protocol.MSG_MAP_IDS -> {
                        // Root writes any map directly; rootless callers never get here (BundleConfig).
                        IdMapWriter.write(helper.pid(), mapping.uids(), mapping.gids());
                        return Sys.openat("open the user namespace of process " + helper.pid(),
                                "/proc/" + helper.pid() + "/ns/user", Sys.O_RDONLY | Sys.O_CLOEXEC, 0);
                    }
                    case Protocol.MSG_LOG -> {
                        // Nothing it does before MSG_MAP_IDS logs at LOG_WARN; a failure comes as MSG_ERROR.
                    }
                    case Protocol.MSG_ERROR -> throw HelperError.from(m);
                    default -> throw new BerthException(BerthException.Kind.SYSTEM,
                            "berth-init sent an unexpected message of kind " + m.kind());
                }
            }
        } catch (BerthException e) {
            throw e.within("user namespace for the mapping " + describe(mapping));
        } finally {
            // Killed while it waits for the acknowledgement, before the socket closes: nothing of it
            // runs in the namespace, and it never reports the closed socket on berth's stderr.
            Sys.signal(helper.pid(), 0, 9);
            Sys.waitpid(helper.pid(), 0);
            channel.close();
        }
    }

    /** "uid 0:1000:1, gid 0:1000:1" (containerID:hostID:size of each line), for messages. */
    static String describe(IdmapPlan.Mapping mapping) {
        StringBuilder sb = new StringBuilder("uid");
        for (IdMapping m : mapping.uids()) sb.append(' ').append(line(m));
        sb.append(", gid");
        for (IdMapping m : mapping.gids()) sb.append(' ').append(line(m));
        return sb.toString();
    }

    private static String line(IdMapping m) {
        return m.containerId() + ":" + m.hostId() + ":" + m.size();
    }

}
