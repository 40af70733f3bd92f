package dev.berth.net;

import dev.berth.api.BerthException;
import dev.berth.plan.Message;
import dev.berth.plan.MessageWriter;
import dev.berth.plan.Protocol;
import dev.berth.sys.Errno;
import dev.berth.sys.HelperImage;
import dev.berth.sys.Spawn;
import dev.berth.sys.Sys;
import java.util.ArrayList;
import java.util.List;

/**
 * A berth-init started for a network namespace (holder or exec mode) and berth's end of its
 * socket. Unlike a container's, it has no exec.fifo, and stdio is berth's own.
 */
final class InitHelper implements AutoCloseable {
    private static final int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 02000000;
    private static final int F_DUPFD_CLOEXEC = 1030;

    final int pid;
    private final int socket;

    private InitHelper(int pid, int socket) {
        this.pid = pid;
        this.socket = socket;
    }

    /** Starts berth-init and sends it {@code plan}. */
    static InitHelper start(byte[] plan) {
        int image = HelperImage.open();
        int[] sock = null;
        int high = -1;
        try {
            sock = Sys.socketpair("socketpair", AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC);
            // Above any target number, so that the dup2 to fd 3 cannot clobber its own source.
            high = (int) Sys.call("dup descriptor", Sys.Nr.FCNTL, sock[1], F_DUPFD_CLOEXEC, 10);
            int pid = Spawn.spawn(HelperImage.path(image), List.of("berth-init"), List.of(),
                    new int[][] {{high, Protocol.BERTH_FD_SYNC}});
            InitHelper h = new InitHelper(pid, sock[0]);
            sock[0] = -1;
            try {
                Sys.write("send the plan to berth-init", h.socket, plan);
            } catch (RuntimeException e) {
                h.kill();
                h.close();
                throw e;
            }
            return h;
        } finally {
            Sys.close(image);
            Sys.close(high);
            if (sock != null) {
                Sys.close(sock[0]);
                Sys.close(sock[1]);
            }
        }
    }

    /** The next message, or null at EOF (berth-init exec'd or exited). */
    Message receive() {
        byte[] b = Sys.read("receive from berth-init", socket, Protocol.BERTH_MAX_MESSAGE);
        if (b == null || b.length == 0) return null;
        return Message.parse(b, b.length);
    }

    void ack(int errno, String message) {
        MessageWriter w = new MessageWriter(Protocol.MSG_ACK).u32(Protocol.A_ERRNO, errno);
        if (message != null) w.str(Protocol.A_MESSAGE, message);
        Sys.write("send to berth-init", socket, w.toBytes());
    }

    /** An MSG_ERROR as an exception, in berth-init's own words. */
    static BerthException error(Message m) {
        int errno = m.u32(Protocol.A_ERRNO, 0);
        String message = m.str(Protocol.A_MESSAGE, "");
        if (message.isEmpty()) {
            message = m.str(Protocol.A_STEP, "berth-init") + (errno != 0 ? ": " + Errno.describe(errno) : "");
        }
        return new BerthException(BerthException.Kind.SYSTEM, message, errno, null);
    }

    /** Kills and reaps it; for clean-up after a failure. */
    void kill() {
        Sys.signal(pid, 0, 9);
        Sys.waitpid(pid, 0);
    }

    @Override
    public void close() {
        Sys.close(socket);
    }

    /** The namespace joins of a plan: {type flag, path} for each. */
    static void joins(MessageWriter w, List<Object[]> joins) {
        for (Object[] j : joins) {
            w.begin(Protocol.P_JOIN_NS).u32(Protocol.A_NSTYPE, (Integer) j[0]).str(Protocol.A_PATH, (String) j[1]).end();
        }
    }

    static List<Object[]> joinsOf(NetnsRecord r) {
        List<Object[]> j = new ArrayList<>();
        if (r.userns() != null) j.add(new Object[] {CLONE_NEWUSER, r.userns()});
        j.add(new Object[] {NsSyscalls.CLONE_NEWNET, r.path()});
        return j;
    }

    static final int CLONE_NEWUSER = 0x10000000;
}
