package dev.berth.sys;

import dev.berth.api.BerthException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * posix_spawn through FFM. ProcessBuilder cannot place descriptors at fixed numbers (it closes
 * everything beyond stdio) and cannot set argv[0] apart from the path, and berth needs both: the
 * helper finds its socket at fd 3, and hooks get argv exactly as the runtime-spec says.
 */
public final class Spawn {
    private Spawn() {}

    // glibc's opaque structs are 80 and 336 bytes on x86-64; allocate generously.
    private static final long FILE_ACTIONS_SIZE = 256;
    private static final long ATTR_SIZE = 1024;
    private static final long SIGSET_SIZE = 128;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;

    private static final class Handles {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
        static final ValueLayout A = ValueLayout.ADDRESS;
        static final MethodHandle SPAWN = h("posix_spawn", FunctionDescriptor.of(I, A, A, A, A, A, A));
        static final MethodHandle FA_INIT = h("posix_spawn_file_actions_init", FunctionDescriptor.of(I, A));
        static final MethodHandle FA_DUP2 =
                h("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(I, A, I, I));
        static final MethodHandle FA_CLOSEFROM =
                h("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(I, A, I));
        static final MethodHandle FA_DESTROY = h("posix_spawn_file_actions_destroy", FunctionDescriptor.of(I, A));
        static final MethodHandle ATTR_INIT = h("posix_spawnattr_init", FunctionDescriptor.of(I, A));
        static final MethodHandle ATTR_FLAGS =
                h("posix_spawnattr_setflags", FunctionDescriptor.of(I, A, ValueLayout.JAVA_SHORT));
        static final MethodHandle ATTR_MASK = h("posix_spawnattr_setsigmask", FunctionDescriptor.of(I, A, A));
        static final MethodHandle ATTR_DEF = h("posix_spawnattr_setsigdefault", FunctionDescriptor.of(I, A, A));
        static final MethodHandle ATTR_DESTROY = h("posix_spawnattr_destroy", FunctionDescriptor.of(I, A));

        private static MethodHandle h(String name, FunctionDescriptor d) {
            return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), d);
        }
    }

    /**
     * Starts {@code path} with {@code argv} and {@code env}. {@code fds} lists pairs
     * {source, target}: each source descriptor appears in the child at the target number. The
     * child starts with an empty signal mask and default signal dispositions, and with no
     * descriptor other than stdio and the targets.
     */
    public static int spawn(String path, List<String> argv, List<String> env, int[][] fds) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment actions = a.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = a.allocate(ATTR_SIZE, 16);
            check(path, (int) Handles.FA_INIT.invokeExact(actions));
            check(path, (int) Handles.ATTR_INIT.invokeExact(attr));
            try {
                int closeFrom = 3;
                for (int[] pair : fds) {
                    check(path, (int) Handles.FA_DUP2.invokeExact(actions, pair[0], pair[1]));
                    closeFrom = Math.max(closeFrom, pair[1] + 1);
                }
                // The JVM holds descriptors without close-on-exec (jars, the jimage); none may
                // reach a hook or the helper.
                check(path, (int) Handles.FA_CLOSEFROM.invokeExact(actions, closeFrom));
                MemorySegment empty = a.allocate(SIGSET_SIZE);
                MemorySegment all = a.allocate(SIGSET_SIZE);
                all.fill((byte) 0xff);
                check(path, (int) Handles.ATTR_MASK.invokeExact(attr, empty));
                check(path, (int) Handles.ATTR_DEF.invokeExact(attr, all));
                check(path, (int) Handles.ATTR_FLAGS.invokeExact(attr,
                        (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
                MemorySegment pid = a.allocate(ValueLayout.JAVA_INT);
                int rc = (int) Handles.SPAWN.invokeExact(pid, Sys.cstr(a, path), actions, attr,
                        strings(a, argv), strings(a, env));
                if (rc != 0) throw Sys.error("spawn " + path, rc);
                return pid.get(ValueLayout.JAVA_INT, 0);
            } finally {
                int ignored = (int) Handles.FA_DESTROY.invokeExact(actions);
                ignored = (int) Handles.ATTR_DESTROY.invokeExact(attr);
            }
        } catch (BerthException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("posix_spawn " + path, t);
        }
    }

    private static void check(String path, int rc) {
        if (rc != 0) throw Sys.error("spawn " + path, rc);
    }

    private static MemorySegment strings(Arena a, List<String> list) {
        MemorySegment arr = a.allocate(ValueLayout.ADDRESS, list.size() + 1);
        for (int i = 0; i < list.size(); i++) {
            arr.setAtIndex(ValueLayout.ADDRESS, i, Sys.cstr(a, list.get(i)));
        }
        arr.setAtIndex(ValueLayout.ADDRESS, list.size(), MemorySegment.NULL);
        return arr;
    }
}
