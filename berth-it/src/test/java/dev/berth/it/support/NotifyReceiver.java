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
 * A caller's sd_notify socket (what systemd passes as NOTIFY_SOCKET): an AF_UNIX datagram socket
 * whose messages the test reads. FFM against libc: java.nio has no AF_UNIX datagrams.
 */
public final class NotifyReceiver implements AutoCloseable {
    private static final int AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 02000000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout A = ValueLayout.ADDRESS;
    private static final MethodHandle SOCKET = h("socket", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle BIND = h("bind", FunctionDescriptor.of(I, I, A, I));
    private static final MethodHandle POLL = h("poll", FunctionDescriptor.of(I, A, L, I));
    private static final MethodHandle READ = h("read", FunctionDescriptor.of(L, I, A, L));
    private static final MethodHandle CLOSE = h("close", FunctionDescriptor.of(I, I));

    private final Path path;
    private final int fd;

    private static MethodHandle h(String fn, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(fn).orElseThrow(), d);
    }

    public NotifyReceiver(Path path) {
        this.path = path;
        try (Arena a = Arena.ofConfined()) {
            fd = (int) SOCKET.invokeExact(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
            MemorySegment addr = a.allocate(110, 8);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
            if (fd < 0 || (int) BIND.invokeExact(fd, addr, 2 + p.length + 1) < 0) {
                throw new IllegalStateException("bind " + path);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public Path path() {
        return path;
    }

    /** The next message, or null when none comes within {@code limit}. */
    public String next(Duration limit) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pfd = a.allocate(8, 4);
            pfd.set(I, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, (short) 1);
            if ((int) POLL.invokeExact(pfd, 1L, (int) limit.toMillis()) <= 0) return null;
            MemorySegment buf = a.allocate(4096);
            long n = (long) READ.invokeExact(fd, buf, 4096L);
            return n < 0 ? null : new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
            Files.deleteIfExists(path);
        } catch (Throwable t) {
            // best effort
        }
    }
}
