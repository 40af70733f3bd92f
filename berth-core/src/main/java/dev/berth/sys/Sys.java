package dev.berth.sys;

import dev.berth.api.BerthException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * System calls through the FFM API.
 *
 * <p>Every call goes through libc's variadic {@code syscall()} with one method handle: each
 * distinct downcall handle costs start-up time, and berth runs once per container operation.
 * The numbers are x86-64's ({@link Nr}); berth builds only there for now.
 */
public final class Sys {
    private Sys() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(L, L, L, L, L, L, L, L),
            Linker.Option.captureCallState("errno"),
            Linker.Option.firstVariadicArg(1));

    /** x86-64 system call numbers. */
    public static final class Nr {
        public static final int READ = 0, WRITE = 1, CLOSE = 3, POLL = 7, SENDMSG = 46, RECVMSG = 47,
                SOCKETPAIR = 53, WAIT4 = 61, KILL = 62, FCNTL = 72, GETUID = 102, GETGID = 104,
                GETEUID = 107, PRCTL = 157, GETTID = 186, OPENAT = 257, MKNODAT = 259,
                PIPE2 = 293, MEMFD_CREATE = 319, PIDFD_SEND_SIGNAL = 424, PIDFD_OPEN = 434;

        private Nr() {}
    }

    public static final int AT_FDCWD = -100;
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200,
            O_NONBLOCK = 04000, O_CLOEXEC = 02000000, O_PATH = 010000000, O_NOFOLLOW = 0400000;
    public static final int EINTR = 4, ECHILD = 10, EAGAIN = 11, ENOENT = 2, ESRCH = 3, EPERM = 1;

    /** The raw result: >= 0 on success, or -errno. */
    public static long raw(int nr, long a, long b, long c, long d, long e, long f) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long r = (long) SYSCALL.invokeExact(state, (long) nr, a, b, c, d, e, f);
            if (r == -1) return -(int) ERRNO.get(state, 0L);
            return r;
        } catch (RuntimeException | Error t) {
            throw t;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static long raw(int nr, long a, long b, long c) {
        return raw(nr, a, b, c, 0, 0, 0);
    }

    /** Like {@link #raw} but retries EINTR and throws with {@code what} as context on failure. */
    public static long call(String what, int nr, long a, long b, long c, long d, long e, long f) {
        while (true) {
            long r = raw(nr, a, b, c, d, e, f);
            if (r >= 0) return r;
            if (r != -EINTR) throw error(what, (int) -r);
        }
    }

    public static long call(String what, int nr, long a, long b, long c) {
        return call(what, nr, a, b, c, 0, 0, 0);
    }

    public static BerthException error(String what, int errno) {
        return new BerthException(BerthException.Kind.SYSTEM, what + ": " + Errno.describe(errno), errno, null);
    }

    /** A NUL-terminated copy of {@code s} in {@code arena}. */
    public static MemorySegment cstr(Arena arena, String s) {
        return arena.allocateFrom(s, StandardCharsets.UTF_8);
    }

    public static void close(int fd) {
        if (fd >= 0) raw(Nr.CLOSE, fd, 0, 0);
    }

    public static int getuid() {
        return (int) raw(Nr.GETUID, 0, 0, 0);
    }

    public static int getgid() {
        return (int) raw(Nr.GETGID, 0, 0, 0);
    }

    public static int geteuid() {
        return (int) raw(Nr.GETEUID, 0, 0, 0);
    }

    public static int openat(String what, String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            return (int) call(what, Nr.OPENAT, AT_FDCWD, cstr(a, path).address(), flags, mode, 0, 0);
        }
    }

    public static void write(String what, int fd, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            long off = 0;
            while (off < data.length) {
                off += call(what, Nr.WRITE, fd, buf.address() + off, data.length - off, 0, 0, 0);
            }
        }
    }

    /** One read; returns the bytes read (empty at EOF), or null on EAGAIN. */
    public static byte[] read(String what, int fd, int max) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(max);
            long n;
            while (true) {
                n = raw(Nr.READ, fd, buf.address(), max);
                if (n >= 0) break;
                if (n == -EAGAIN) return null;
                if (n != -EINTR) throw error(what, (int) -n);
            }
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** Two descriptors from pipe2 or socketpair: {read-or-first, write-or-second}. */
    public static int[] pipe(String what, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            call(what, Nr.PIPE2, fds.address(), flags, 0);
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    public static int[] socketpair(String what, int domain, int type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            call(what, Nr.SOCKETPAIR, domain, type, 0, fds.address(), 0, 0);
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    /**
     * wait4 for exactly {@code pid}. Returns the raw wait status, or -1 with WNOHANG when it has
     * not changed state.
     */
    public static int waitpid(int pid, int options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(ValueLayout.JAVA_INT);
            long r = call("wait for process " + pid, Nr.WAIT4, pid, status.address(), options, 0, 0, 0);
            if (r == 0) return -1;
            return status.get(ValueLayout.JAVA_INT, 0);
        }
    }

    public static final int WNOHANG = 1;

    /** The shell's view of a wait status: the exit code, or 128+N for signal N. */
    public static int exitCode(int status) {
        int sig = status & 0x7f;
        if (sig == 0) return (status >> 8) & 0xff;
        return 128 + sig;
    }

    public static void mkfifo(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            call("mkfifo " + path, Nr.MKNODAT, AT_FDCWD, cstr(a, path).address(), 0010000 | mode, 0, 0, 0);
        }
    }

    public static void setChildSubreaper() {
        call("prctl(PR_SET_CHILD_SUBREAPER)", Nr.PRCTL, 36, 1, 0);
    }

    /**
     * Sends {@code sig} to {@code pid} only if it is still the process that started at
     * {@code startTime}: the pidfd pins the process, so the check and the signal cannot race a
     * reused PID. Returns false if the process is gone.
     */
    public static boolean signal(int pid, long startTime, int sig) {
        long fd = raw(Nr.PIDFD_OPEN, pid, 0, 0);
        if (fd == -ESRCH) return false;
        if (fd < 0) throw error("pidfd_open " + pid, (int) -fd);
        try {
            if (startTime > 0 && ProcessInfo.startTime(pid) != startTime) return false;
            long r = raw(Nr.PIDFD_SEND_SIGNAL, fd, sig, 0, 0, 0, 0);
            if (r == -ESRCH) return false;
            if (r < 0) throw error("send signal " + sig + " to " + pid, (int) -r);
            return true;
        } finally {
            close((int) fd);
        }
    }

    /** This process's PID (from /proc: no handle needed). */
    public static int getpid() {
        return (int) ProcessHandle.current().pid();
    }
}
