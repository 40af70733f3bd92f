package dev.berth.seccomp;

import dev.berth.api.BerthException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few libseccomp functions berth uses, through the FFM API. libseccomp builds the filter
 * and exports it as BPF; berth-init loads that program itself, so libseccomp's load-time
 * attributes (no_new_privs, TSYNC) play no part. Loaded only for a config with linux.seccomp.
 */
final class LibSeccomp {
    /** Debian's and most distributions' soname; found through the dynamic loader's path. */
    static final String LIBRARY = "libseccomp.so.2";

    static final int SCMP_FLTATR_CTL_OPTIMIZE = 8;
    /** __NR_SCMP_ERROR: a name libseccomp does not know. */
    static final int NR_SCMP_ERROR = -1;

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout P = ValueLayout.ADDRESS;

    private final MethodHandle init, release, archAdd, archResolve, syscallResolve, ruleAdd, attrSet, exportBpf;

    private LibSeccomp(SymbolLookup lib) {
        Linker l = Linker.nativeLinker();
        init = l.downcallHandle(find(lib, "seccomp_init"), FunctionDescriptor.of(P, I));
        release = l.downcallHandle(find(lib, "seccomp_release"), FunctionDescriptor.ofVoid(P));
        archAdd = l.downcallHandle(find(lib, "seccomp_arch_add"), FunctionDescriptor.of(I, P, I));
        archResolve = l.downcallHandle(find(lib, "seccomp_arch_resolve_name"), FunctionDescriptor.of(I, P));
        syscallResolve = l.downcallHandle(find(lib, "seccomp_syscall_resolve_name"), FunctionDescriptor.of(I, P));
        ruleAdd = l.downcallHandle(find(lib, "seccomp_rule_add_array"), FunctionDescriptor.of(I, P, I, I, I, P));
        attrSet = l.downcallHandle(find(lib, "seccomp_attr_set"), FunctionDescriptor.of(I, P, I, I));
        exportBpf = l.downcallHandle(find(lib, "seccomp_export_bpf"), FunctionDescriptor.of(I, P, I));
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
        return lib.find(name).orElseThrow(() -> new IllegalStateException(LIBRARY + " has no " + name));
    }

    MemorySegment init(int defaultAction) {
        return (MemorySegment) call(init, defaultAction);
    }

    void release(MemorySegment ctx) {
        call(release, ctx);
    }

    int archAdd(MemorySegment ctx, int token) {
        return (int) call(archAdd, ctx, token);
    }

    int archResolve(MemorySegment name) {
        return (int) call(archResolve, name);
    }

    int syscallResolve(MemorySegment name) {
        return (int) call(syscallResolve, name);
    }

    int ruleAdd(MemorySegment ctx, int action, int syscall, int count, MemorySegment args) {
        return (int) call(ruleAdd, ctx, action, syscall, count, args);
    }

    int attrSet(MemorySegment ctx, int attr, int value) {
        return (int) call(attrSet, ctx, attr, value);
    }

    int exportBpf(MemorySegment ctx, int fd) {
        return (int) call(exportBpf, ctx, fd);
    }

    private static Object call(MethodHandle h, Object... args) {
        try {
            return h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
