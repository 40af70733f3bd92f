package dev.berth.seccomp;

import dev.berth.api.BerthException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The few libseccomp functions berth uses, through the FFM API. libseccomp builds the filter
 * and exports it as BPF; berth-init loads that program itself, so libseccomp's load-time
 * attributes (no_new_privs, TSYNC) play no part. Loaded only for a config with linux.seccomp.
 *
 * <p>All functions go through one downcall handle of the shape {@code long f(long x5)}, as
 * {@code Sys} does for system calls: each distinct handle costs milliseconds of class spinning
 * at start-up (measured: eight typed handles made the first compile several times slower). On
 * x86-64 (the only platform berth builds for) every argument here is an integer or a pointer
 * passed in a register, so a function ignores the registers it does not take, and an int result
 * is the low half of RAX.
 */
final class LibSeccomp {
    /** Debian's and most distributions' soname; found through the dynamic loader's path. */
    static final String LIBRARY = "libseccomp.so.2";

    static final int SCMP_FLTATR_CTL_OPTIMIZE = 8;
    /** __NR_SCMP_ERROR: a name libseccomp does not know. */
    static final int NR_SCMP_ERROR = -1;

    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final MethodHandle CALL =
            Linker.nativeLinker().downcallHandle(FunctionDescriptor.of(L, L, L, L, L, L));

    private final MemorySegment init, release, archAdd, archResolve, syscallResolve, ruleAdd, attrSet, exportBpf;

    private LibSeccomp(SymbolLookup lib) {
        init = find(lib, "seccomp_init");
        release = find(lib, "seccomp_release");
        archAdd = find(lib, "seccomp_arch_add");
        archResolve = find(lib, "seccomp_arch_resolve_name");
        syscallResolve = find(lib, "seccomp_syscall_resolve_name");
        ruleAdd = find(lib, "seccomp_rule_add_array");
        attrSet = find(lib, "seccomp_attr_set");
        exportBpf = find(lib, "seccomp_export_bpf");
    }

    private static volatile LibSeccomp instance;

    static LibSeccomp get() {
        LibSeccomp l = instance;
        if (l == null) {
            SymbolLookup lib;
            try {
                lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            } catch (IllegalArgumentException e) {
                throw BerthException.invalid("config.json: linux.seccomp: " + LIBRARY
                        + " cannot be loaded (install libseccomp, e.g. Debian's libseccomp2): " + e.getMessage());
            }
            instance = l = new LibSeccomp(lib);
        }
        return l;
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        Optional<MemorySegment> s = lib.find(name);
        if (s.isEmpty()) throw new IllegalStateException(LIBRARY + " has no " + name);
        return s.get();
    }

    private static long call(MemorySegment fn, long a, long b, long c, long d, long e) {
        try {
            return (long) CALL.invokeExact(fn, a, b, c, d, e);
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The filter context (scmp_filter_ctx), or NULL. */
    MemorySegment init(int defaultAction) {
        return MemorySegment.ofAddress(call(init, Integer.toUnsignedLong(defaultAction), 0, 0, 0, 0));
    }

    void release(MemorySegment ctx) {
        call(release, ctx.address(), 0, 0, 0, 0);
    }

    int archAdd(MemorySegment ctx, int token) {
        return (int) call(archAdd, ctx.address(), Integer.toUnsignedLong(token), 0, 0, 0);
    }

    int archResolve(MemorySegment name) {
        return (int) call(archResolve, name.address(), 0, 0, 0, 0);
    }

    int syscallResolve(MemorySegment name) {
        return (int) call(syscallResolve, name.address(), 0, 0, 0, 0);
    }

    int ruleAdd(MemorySegment ctx, int action, int syscall, int count, MemorySegment args) {
        return (int) call(ruleAdd, ctx.address(), Integer.toUnsignedLong(action), syscall, count, args.address());
    }

    int attrSet(MemorySegment ctx, int attr, int value) {
        return (int) call(attrSet, ctx.address(), attr, value, 0, 0);
    }

    int exportBpf(MemorySegment ctx, int fd) {
        return (int) call(exportBpf, ctx.address(), fd, 0, 0, 0);
    }
}
