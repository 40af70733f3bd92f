package dev.berth.engine;

import dev.berth.plan.Message;
import dev.berth.plan.MessageWriter;
import dev.berth.plan.Protocol;
import dev.berth.sys.Sys;
import dev.berth.sys.UnixSocket;
import java.io.Closeable;

/** The parent's end of the SOCK_SEQPACKET socket to berth-init: one message per datagram. */
final class HelperChannel implements Closeable {
    private final int fd;
    private int passed = -1;

    HelperChannel(int fd) {
        this.fd = fd;
    }

    void send(byte[] message) {
        Sys.write("send to berth-init", fd, message);
    }

    /**
     * The next message, or null when every copy of the helper's end is closed. A descriptor that
     * came with it (MSG_SEND_FD) is kept for {@link #takeDescriptor}.
     */
    Message receive() {
        closeDescriptor();
        UnixSocket.Received r = UnixSocket.receive("receive from berth-init", fd, Protocol.BERTH_MAX_MESSAGE);
        passed = r.fd();
        if (r.data().length == 0) return null;
        return Message.parse(r.data(), r.data().length);
    }

    /** The descriptor of the last message, now the caller's to close; -1 if none came. */
    int takeDescriptor() {
        int d = passed;
        passed = -1;
        return d;
    }

    private void closeDescriptor() {
        Sys.close(passed);
        passed = -1;
    }

    /** An ACK that carries descriptors (SCM_RIGHTS); berth-init numbers them in arrival order. */
    void ackWithFds(int[] fds) {
        UnixSocket.sendFd("send to berth-init", fd, new MessageWriter(Protocol.MSG_ACK).u32(Protocol.A_ERRNO, 0).toBytes(),
                fds);
    }

    void ack(int errno, String message, String... states) {
        MessageWriter w = new MessageWriter(Protocol.MSG_ACK).u32(Protocol.A_ERRNO, errno);
        if (message != null) w.str(Protocol.A_MESSAGE, message);
        for (String state : states) w.str(Protocol.A_STATE, state);
        send(w.toBytes());
    }

    @Override
    public void close() {
        closeDescriptor();
        Sys.close(fd);
    }
}
