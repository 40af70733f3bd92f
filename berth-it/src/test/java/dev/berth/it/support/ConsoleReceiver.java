package dev.berth.it.support;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The receiving end of {@code --console-socket}, as runc's docs/terminals.md describes it (and
 * as its contrib/cmd/recvtty implements it): a listening AF_UNIX stream socket; the runtime
 * connects and sends one message whose SCM_RIGHTS carry the master of the container's pty. The
 * test then reads the container's output from that master and may write its input. Written with
 * FFM against libc because java.nio cannot receive descriptors.
 */
public final class ConsoleReceiver implements AutoCloseable {
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000, SOL_SOCKET = 1, SCM_RIGHTS = 1;
    private static final short POLLIN = 1;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout A = ValueLayout.ADDRESS;
    private static final MethodHandle SOCKET = h("socket", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle BIND = h("bind", FunctionDescriptor.of(I, I, A, I));
    private static final MethodHandle LISTEN = h("listen", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle ACCEPT = h("accept", FunctionDescriptor.of(I, I, A, A));
    private static final MethodHandle RECVMSG = h("recvmsg", FunctionDescriptor.of(L, I, A, I));
    private static final MethodHandle POLL = h("poll", FunctionDescriptor.of(I, A, L, I));
    private static final MethodHandle READ = h("read", FunctionDescriptor.of(L, I, A, L));
    private static final MethodHandle WRITE = h("write", FunctionDescriptor.of(L, I, A, L));
    private static final MethodHandle CLOSE = h("close", FunctionDescriptor.of(I, I));

    private final Path path;
    private final int listener;
    private int master = -1;
    private String name = "";
    private final StringBuilder output = new StringBuilder();

    private static MethodHandle h(String fn, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(fn).orElseThrow(), d);
    }

    /** Listens on a new socket at {@code path}. */
    public ConsoleReceiver(Path path) {
        this.path = path;
        try (Arena a = Arena.ofConfined()) {
            listener = (int) SOCKET.invokeExact(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (listener < 0) throw new IllegalStateException("socket failed");
            byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
            MemorySegment addr = a.allocate(110, 8);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
            if ((int) BIND.invokeExact(listener, addr, 2 + p.length + 1) < 0) throw new IllegalStateException("bind " + path);
            if ((int) LISTEN.invokeExact(listener, 4) < 0) throw new IllegalStateException("listen " + path);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public Path path() {
        return path;
    }

    /** The data of the message that carried the master (runc sends the pty's name). */
    public String name() {
        return name;
    }

    /** Accepts the runtime's connection and receives the master; fails after {@code limit}. */
    public int receiveMaster(Duration limit) {
        try (Arena a = Arena.ofConfined()) {
            if (!readable(listener, limit)) throw new AssertionError("no connection on the console socket within " + limit);
            int conn = (int) ACCEPT.invokeExact(listener, MemorySegment.NULL, MemorySegment.NULL);
            if (conn < 0) throw new AssertionError("accept on the console socket failed");
            try {
                MemorySegment buf = a.allocate(4096);
                MemorySegment iov = a.allocate(16, 8);
                iov.set(L, 0, buf.address());
                iov.set(L, 8, 4096);
                MemorySegment control = a.allocate(64, 8);
                MemorySegment msg = a.allocate(56, 8);
                msg.set(L, 16, iov.address());
                msg.set(L, 24, 1);
                msg.set(L, 32, control.address());
                msg.set(L, 40, 64);
                long n = (long) RECVMSG.invokeExact(conn, msg, 0);
                if (n < 0) throw new AssertionError("recvmsg on the console socket failed");
                name = new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                if (msg.get(L, 40) < 20 || control.get(I, 8) != SOL_SOCKET || control.get(I, 12) != SCM_RIGHTS) {
                    throw new AssertionError("the console socket got a message without a descriptor: '" + name + "'");
                }
                master = control.get(I, 16);
                return master;
            } finally {
                int ignored = (int) CLOSE.invokeExact(conn);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Reads the master until its output contains {@code text}; returns all output so far. */
    public String readUntil(String text, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (output.indexOf(text) < 0) {
            long left = end - System.nanoTime();
            if (left <= 0 || !readable(master, Duration.ofNanos(left))) {
                throw new AssertionError("'" + text + "' never came from the console; got: '" + output + "'");
            }
            if (readOnce() <= 0) throw new AssertionError("the console closed before '" + text + "'; got: '" + output + "'");
        }
        return output.toString();
    }

    /** Sends {@code text} to the container's terminal, as typed keys. */
    public void type(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(b.length);
            MemorySegment.copy(b, 0, buf, ValueLayout.JAVA_BYTE, 0, b.length);
            long n = (long) WRITE.invokeExact(master, buf, (long) b.length);
            if (n != b.length) throw new AssertionError("write to the console failed");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private long readOnce() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4096);
            long n = (long) READ.invokeExact(master, buf, 4096L);
            if (n > 0) output.append(new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            return n;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static boolean readable(int fd, Duration limit) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pfd = a.allocate(8, 4);
            pfd.set(I, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            int r = (int) POLL.invokeExact(pfd, 1L, (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit.toMillis())));
            return r > 0;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            if (master >= 0) {
                int ignored = (int) CLOSE.invokeExact(master);
            }
            int ignored = (int) CLOSE.invokeExact(listener);
            Files.deleteIfExists(path);
        } catch (Throwable t) {
            // best effort
        }
    }
}
