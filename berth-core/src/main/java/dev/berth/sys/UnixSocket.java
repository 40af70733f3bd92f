package dev.berth.sys;

import dev.berth.api.BerthException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * AF_UNIX sockets with descriptors passed as SCM_RIGHTS: berth-init sends berth the console's
 * master this way, and berth hands it on to a --console-socket. java.nio's channels cannot carry
 * descriptors, hence the raw system calls (x86-64 numbers and struct layouts).
 */
public final class UnixSocket {
    private UnixSocket() {}

    private static final int SOCKET = 41, CONNECT = 42, SENDTO = 44, SENDMSG = 46, RECVMSG = 47, BIND = 49;
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 02000000;
    private static final short POLLIN = 1;
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1;
    private static final int MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SUN_PATH_MAX = 108;
    // struct msghdr: name, namelen, iov, iovlen, control, controllen, flags
    private static final long MSGHDR_SIZE = 56, OFF_IOV = 16, OFF_IOVLEN = 24, OFF_CONTROL = 32,
            OFF_CONTROLLEN = 40;
    // struct cmsghdr: size_t len, int level, int type, data; CMSG_SPACE(4 fds) and CMSG_LEN(1 fd)
    private static final long CMSG_SPACE = 32, CMSG_LEN_ONE = 20, CMSG_DATA = 16;

    /** A datagram or stream chunk and the descriptor that came with it (-1 for none). */
    public record Received(byte[] data, int fd) {
    }

    /** A SOCK_STREAM socket connected to {@code path} (close-on-exec). */
    public static int connect(String path) {
        return connect("connect to " + path, path);
    }

    /** The same; {@code what} names the connection in errors. */
    public static int connect(String what, String path) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_MAX) {
            throw new BerthException(BerthException.Kind.INVALID,
                    what + ": the path is longer than " + (SUN_PATH_MAX - 1) + " bytes");
        }
        int fd = (int) Sys.call("socket", SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(2 + SUN_PATH_MAX, 8);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
            Sys.call(what, CONNECT, fd, addr.address(), 2 + name.length + 1, 0, 0, 0);
            return fd;
        } catch (RuntimeException e) {
            Sys.close(fd);
            throw e;
        }
    }

    /**
     * A datagram socket bound at {@code dir/name}, writable by everyone (the container's user may
     * be anyone). Bound through /proc/self/fd so that a long state directory path cannot exceed
     * sun_path's 108 bytes.
     */
    public static int bindDatagram(Path dir, String name) {
        String what = "bind " + dir.resolve(name);
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, what + ": " + e, 0, e);
        }
        int dirFd = Sys.openat("open " + dir, dir.toString(), Sys.O_PATH | Sys.O_CLOEXEC, 0);
        int fd = -1;
        try (Arena a = Arena.ofConfined()) {
            fd = (int) Sys.call("socket", SOCKET, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            byte[] path = ("/proc/self/fd/" + dirFd + "/" + name).getBytes(StandardCharsets.UTF_8);
            MemorySegment addr = address(a, path);
            Sys.call(what, BIND, fd, addr.address(), 2 + path.length + 1, 0, 0, 0);
            Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rwxrwxrwx"));
            return fd;
        } catch (IOException e) {
            Sys.close(fd);
            throw new BerthException(BerthException.Kind.SYSTEM, what + ": " + e, 0, e);
        } catch (RuntimeException e) {
            Sys.close(fd);
            throw e;
        } finally {
            Sys.close(dirFd);
        }
    }

    /** One datagram to the socket at {@code path} ("@name": an abstract one, as systemd allows). */
    public static void sendTo(String path, byte[] data) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name.length > 0 && name[0] == '@';
        if (abstractName) name[0] = 0;
        if (name.length >= SUN_PATH_MAX) throw BerthException.invalid("socket path " + path + " is too long");
        int fd = (int) Sys.call("socket", SOCKET, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = address(a, name);
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            Sys.call("send to " + path, SENDTO, fd, buf.address(), data.length, MSG_NOSIGNAL, addr.address(),
                    2 + name.length + (abstractName ? 0 : 1));
        } finally {
            Sys.close(fd);
        }
    }

    /** The next datagram on fd, or null when none comes within {@code millis}. */
    public static byte[] receiveWithin(String what, int fd, int max, int millis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pfd = a.allocate(8, 4);
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            long r = Sys.raw(Sys.Nr.POLL, pfd.address(), 1, millis);
            if (r <= 0) return null;
        }
        return Sys.read(what, fd, max);
    }

    private static MemorySegment address(Arena a, byte[] path) {
        MemorySegment addr = a.allocate(2 + SUN_PATH_MAX, 8);
        addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(path, 0, addr, ValueLayout.JAVA_BYTE, 2, path.length);
        return addr;
    }

    /** Sends {@code data} with the descriptors {@code passed} (may be none) attached as SCM_RIGHTS. */
    public static void sendFd(String what, int sock, byte[] data, int... passed) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            MemorySegment iov = iov(a, buf, data.length);
            long payload = 4L * passed.length;
            long space = CMSG_DATA + ((payload + 7) & ~7L);
            MemorySegment control = a.allocate(space, 8);
            control.set(ValueLayout.JAVA_LONG, 0, CMSG_DATA + payload);
            control.set(ValueLayout.JAVA_INT, 8, SOL_SOCKET);
            control.set(ValueLayout.JAVA_INT, 12, SCM_RIGHTS);
            for (int i = 0; i < passed.length; i++) control.set(ValueLayout.JAVA_INT, CMSG_DATA + 4L * i, passed[i]);
            MemorySegment msg = a.allocate(MSGHDR_SIZE, 8);
            msg.set(ValueLayout.JAVA_LONG, OFF_IOV, iov.address());
            msg.set(ValueLayout.JAVA_LONG, OFF_IOVLEN, 1);
            msg.set(ValueLayout.JAVA_LONG, OFF_CONTROL, passed.length > 0 ? control.address() : 0);
            msg.set(ValueLayout.JAVA_LONG, OFF_CONTROLLEN, passed.length > 0 ? space : 0);
            Sys.call(what, SENDMSG, sock, msg.address(), MSG_NOSIGNAL, 0, 0, 0);
        }
    }

    /**
     * One recvmsg of up to {@code max} bytes; a descriptor that came with it is returned
     * close-on-exec (any beyond the first are closed). Empty data means EOF.
     */
    public static Received receive(String what, int sock, int max) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(max);
            MemorySegment iov = iov(a, buf, max);
            MemorySegment control = a.allocate(CMSG_SPACE, 8);
            MemorySegment msg = a.allocate(MSGHDR_SIZE, 8);
            msg.set(ValueLayout.JAVA_LONG, OFF_IOV, iov.address());
            msg.set(ValueLayout.JAVA_LONG, OFF_IOVLEN, 1);
            msg.set(ValueLayout.JAVA_LONG, OFF_CONTROL, control.address());
            msg.set(ValueLayout.JAVA_LONG, OFF_CONTROLLEN, CMSG_SPACE);
            long n = Sys.call(what, RECVMSG, sock, msg.address(), MSG_CMSG_CLOEXEC, 0, 0, 0);
            int fd = -1;
            long controlLen = msg.get(ValueLayout.JAVA_LONG, OFF_CONTROLLEN);
            if (controlLen >= CMSG_LEN_ONE && control.get(ValueLayout.JAVA_INT, 8) == SOL_SOCKET
                    && control.get(ValueLayout.JAVA_INT, 12) == SCM_RIGHTS) {
                long fds = (control.get(ValueLayout.JAVA_LONG, 0) - CMSG_DATA) / 4;
                fd = control.get(ValueLayout.JAVA_INT, CMSG_DATA);
                for (long i = 1; i < fds; i++) Sys.close(control.get(ValueLayout.JAVA_INT, CMSG_DATA + 4 * i));
            }
            return new Received(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), fd);
        }
    }

    private static MemorySegment iov(Arena a, MemorySegment buf, long len) {
        MemorySegment iov = a.allocate(16, 8);
        iov.set(ValueLayout.JAVA_LONG, 0, buf.address());
        iov.set(ValueLayout.JAVA_LONG, 8, len);
        return iov;
    }
}
