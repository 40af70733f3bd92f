package dev.berth.net;

import dev.berth.sys.Sys;
import java.lang.foreign.Arena;

/** The few system calls only network namespaces need (x86-64 numbers), kept out of the shared Sys. */
final class NsSyscalls {
    private static final int MOUNT = 165, UMOUNT2 = 166, UNSHARE = 272;
    static final int CLONE_NEWNET = 0x40000000;
    static final long MS_BIND = 4096, MS_REC = 16384, MS_SHARED = 1 << 20;
    static final int MNT_DETACH = 2;
    static final int EINVAL = 22, ENOENT = 2;

    private NsSyscalls() {}

    /** mount(2); returns 0 or -errno. */
    static long mount(String source, String target, String type, long flags) {
        try (Arena a = Arena.ofConfined()) {
            return Sys.raw(MOUNT, Sys.cstr(a, source).address(), Sys.cstr(a, target).address(),
                    Sys.cstr(a, type).address(), flags, 0, 0);
        }
    }

    static long umount2(String target, int flags) {
        try (Arena a = Arena.ofConfined()) {
            return Sys.raw(UMOUNT2, Sys.cstr(a, target).address(), flags, 0);
        }
    }

    /** unshare(2) for the calling thread only (a network namespace is per thread). */
    static long unshare(int flags) {
        return Sys.raw(UNSHARE, flags, 0, 0);
    }
}
