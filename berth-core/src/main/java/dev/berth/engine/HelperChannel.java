package dev.berth.engine;

import dev.berth.plan.Message;
import dev.berth.plan.MessageWriter;
import dev.berth.plan.Protocol;
import dev.berth.sys.FdPassing;
import dev.berth.sys.Sys;
import dev.berth.sys.UnixSocket;
import java.io.Closeable;

/** The parent's end of the SOCK_SEQPACKET socket to berth-init: one message per datagram. */
final class HelperChannel implements Closeable {
    private final int fd;
    /** A descriptor that came with the last message (MSG_SEND_FD), until taken; -1 for none. */
    private int receivedFd = -1;

    HelperChannel(int fd) {
        this.fd = fd;
    }

    void send(byte[] message) {
        Sys.write("send to berth-init", fd, message);
    }

    /** The next message, or null when every copy of the helper's end is closed. */
    Message receive() {
        // recvmsg rather than read: read would drop a descriptor sent with MSG_SEND_FD.
        Sys.close(receivedFd);
        UnixSocket.Received r = UnixSocket.receive("receive from berth-init", fd, Protocol.BERTH_MAX_MESSAGE);
        receivedFd = r.fd();
        byte[] b = r.data();
        if (b.length == 0) return null;
        return Message.parse(b, b.length);
    }

    /** An ACK that carries descriptors (SCM_RIGHTS); berth-init numbers them in arrival order. */
    void ackWithFds(int[] fds) {
        FdPassing.send("send to berth-init", fd, new MessageWriter(Protocol.MSG_ACK).u32(Protocol.A_ERRNO, 0).toBytes(),
                fds);
    }

    /** The descriptor of the last message, now the caller's to close; -1 when it had none. */
    int takeFd() {
        int f = receivedFd;
        receivedFd = -1;
        return f;
    }

    void ack(int errno, String message, String... states) {
        MessageWriter w = new MessageWriter(Protocol.MSG_ACK).u32(Protocol.A_ERRNO, errno);
        if (message != null) w.str(Protocol.A_MESSAGE, message);
        for (String state : states) w.str(Protocol.A_STATE, state);
        send(w.toBytes());
    }

    @Override
    public void close() {
        Sys.close(receivedFd);
        receivedFd = -1;
        Sys.close(fd);
    }
}
