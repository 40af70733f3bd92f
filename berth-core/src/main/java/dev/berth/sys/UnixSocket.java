package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Unix socket operations that carry a descriptor (SCM_RIGHTS) or need an address, with the
 * x86-64 layouts of struct msghdr, iovec, cmsghdr and sockaddr_un.
 */
public final class UnixSocket {
    private UnixSocket() {}

    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1, AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000, MSG_NOSIGNAL = 0x4000;
    private static final int NR_SOCKET = 41, NR_CONNECT = 42;
    /** msghdr: name, namelen(+pad), iov, iovlen, control, controllen, flags(+pad). */
    private static final int MSGHDR = 56, IOVEC = 16, CMSG_HDR = 16, CMSG_SPACE_ONE_FD = 24, SUN_PATH = 108;

    /** One datagram and the descriptor that came with it (-1 for none). */
    public record Received(byte[] data, int fd) {
    }

    /** recvmsg of one datagram of at most {@code max} bytes; the descriptor is close-on-exec. */
    public static Received receive(String what, int fd, int max) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(max);
            MemorySegment iov = a.allocate(IOVEC, 8);
            iov.set(ValueLayout.JAVA_LONG, 0, buf.address());
            iov.set(ValueLayout.JAVA_LONG, 8, max);
            MemorySegment control = a.allocate(CMSG_SPACE_ONE_FD, 8);
            MemorySegment msg = a.allocate(MSGHDR, 8);
            msg.set(ValueLayout.JAVA_LONG, 16, iov.address());
            msg.set(ValueLayout.JAVA_LONG, 24, 1);
            msg.set(ValueLayout.JAVA_LONG, 32, control.address());
            msg.set(ValueLayout.JAVA_LONG, 40, CMSG_SPACE_ONE_FD);
            long n = Sys.call(what, Sys.Nr.RECVMSG, fd, msg.address(), MSG_CMSG_CLOEXEC, 0, 0, 0);
            int passed = -1;
            long controllen = msg.get(ValueLayout.JAVA_LONG, 40);
            if (controllen >= CMSG_HDR + 4 && control.get(ValueLayout.JAVA_INT, 8) == SOL_SOCKET
                    && control.get(ValueLayout.JAVA_INT, 12) == SCM_RIGHTS) {
                passed = control.get(ValueLayout.JAVA_INT, CMSG_HDR);
            }
            return new Received(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), passed);
        }
    }

    /** sendmsg of {@code data} with {@code pass} in SCM_RIGHTS. */
    public static void send(String what, int fd, byte[] data, int pass) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            MemorySegment iov = a.allocate(IOVEC, 8);
            iov.set(ValueLayout.JAVA_LONG, 0, buf.address());
            iov.set(ValueLayout.JAVA_LONG, 8, data.length);
            MemorySegment control = a.allocate(CMSG_SPACE_ONE_FD, 8);
            control.set(ValueLayout.JAVA_LONG, 0, CMSG_HDR + 4);
            control.set(ValueLayout.JAVA_INT, 8, SOL_SOCKET);
            control.set(ValueLayout.JAVA_INT, 12, SCM_RIGHTS);
            control.set(ValueLayout.JAVA_INT, CMSG_HDR, pass);
            MemorySegment msg = a.allocate(MSGHDR, 8);
            msg.set(ValueLayout.JAVA_LONG, 16, iov.address());
            msg.set(ValueLayout.JAVA_LONG, 24, 1);
            msg.set(ValueLayout.JAVA_LONG, 32, control.address());
            msg.set(ValueLayout.JAVA_LONG, 40, CMSG_SPACE_ONE_FD);
            Sys.call(what, Sys.Nr.SENDMSG, fd, msg.address(), MSG_NOSIGNAL, 0, 0, 0);
        }
    }

    /** A stream socket connected to the Unix socket at {@code path}. */
    public static int connect(String what, String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= SUN_PATH) throw Sys.error(what + ": path longer than " + (SUN_PATH - 1) + " bytes", 36);
        int fd = (int) Sys.call(what, NR_SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(2 + SUN_PATH, 8);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
            Sys.call(what, NR_CONNECT, fd, addr.address(), 2 + SUN_PATH, 0, 0, 0);
            return fd;
        } catch (RuntimeException e) {
            Sys.close(fd);
            throw e;
        }
    }
}
