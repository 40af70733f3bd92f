package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** sendmsg(2) of one datagram with descriptors attached (SCM_RIGHTS). x86-64 struct layouts. */
public final class FdPassing {
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1;
    private static final int MSGHDR_SIZE = 56, CMSG_HEADER = 16;

    private FdPassing() {}

    public static void send(String what, int socket, byte[] data, int[] fds) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(data.length);
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            MemorySegment iov = a.allocate(16, 8);
            iov.set(ValueLayout.JAVA_LONG, 0, buf.address());
            iov.set(ValueLayout.JAVA_LONG, 8, data.length);
            int payload = 4 * fds.length;
            int space = CMSG_HEADER + ((payload + 7) & ~7);
            MemorySegment control = a.allocate(space, 8);
            control.set(ValueLayout.JAVA_LONG, 0, CMSG_HEADER + payload);
            control.set(ValueLayout.JAVA_INT, 8, SOL_SOCKET);
            control.set(ValueLayout.JAVA_INT, 12, SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) control.set(ValueLayout.JAVA_INT, CMSG_HEADER + 4L * i, fds[i]);
            MemorySegment msg = a.allocate(MSGHDR_SIZE, 8);
            msg.set(ValueLayout.JAVA_LONG, 16, iov.address());
            msg.set(ValueLayout.JAVA_LONG, 24, 1);
            msg.set(ValueLayout.JAVA_LONG, 32, fds.length > 0 ? control.address() : 0);
            msg.set(ValueLayout.JAVA_LONG, 40, fds.length > 0 ? space : 0);
            Sys.call(what, Sys.Nr.SENDMSG, socket, msg.address(), 0);
        }
    }
}
