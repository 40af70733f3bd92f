package dev.berth.seccomp;

import dev.berth.api.BerthException;
import dev.berth.spec.Seccomp;
import dev.berth.sys.Errno;
import dev.berth.sys.Sys;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Locale;

/**
 * Builds the BPF program of linux.seccomp with libseccomp, as runc does (seccomp_linux.go):
 * rules whose action is the default one are left out; a condition list with two conditions on
 * one argument becomes one rule per condition (libseccomp cannot AND them, and profiles written
 * for runc expect OR); a syscall name libseccomp does not know is skipped with a warning.
 * Unlike runc, SECCOMP_FILTER_FLAG_SPEC_ALLOW is not added when flags is absent: it weakens the
 * Spectre mitigation, and runtime-spec does not ask for it.
 */
public final class SeccompCompiler {
    /** The program and the seccomp(2) flags berth-init loads it with. */
    public record Program(byte[] bpf, long flags) {
    }

    public static final long FLAG_TSYNC = 1, FLAG_LOG = 2, FLAG_SPEC_ALLOW = 4, FLAG_NEW_LISTENER = 8,
            FLAG_TSYNC_ESRCH = 16, FLAG_WAIT_KILLABLE_RECV = 32;

    private static final int ACT_KILL_PROCESS = 0x80000000, ACT_KILL_THREAD = 0, ACT_TRAP = 0x00030000,
            ACT_ERRNO = 0x00050000, ACT_TRACE = 0x7ff00000, ACT_LOG = 0x7ffc0000, ACT_ALLOW = 0x7fff0000,
            ACT_NOTIFY = 0x7fc00000;
    private static final int EPERM = 1, EEXIST = 17;
    /** struct scmp_arg_cmp: unsigned arg, enum op, u64 datum_a, u64 datum_b. */
    private static final int ARG_CMP_SIZE = 24;
    private static final int MFD_CLOEXEC = 1, SEEK_SET = 0, NR_LSEEK = 8;
    /** runc's threshold for libseccomp's binary-tree layout (libseccomp 2.5.4 misbehaves without rules). */
    private static final int OPTIMIZE_ABOVE = 32;

    private SeccompCompiler() {}

    public static Program compile(Seccomp s, List<String> warnings) {
        LibSeccomp lib = LibSeccomp.get();
        int defaultAction = action(s.defaultAction(), s.defaultErrnoRet());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = lib.init(defaultAction);
            if (ctx.equals(MemorySegment.NULL)) throw invalid("defaultAction", "libseccomp refused " + s.defaultAction());
            try {
                for (int i = 0; i < s.architectures().size(); i++) addArch(lib, arena, ctx, s.architectures().get(i), i);
                if (s.syscalls().size() > OPTIMIZE_ABOVE) lib.attrSet(ctx, LibSeccomp.SCMP_FLTATR_CTL_OPTIMIZE, 2);
                for (Seccomp.Rule r : s.syscalls()) addRule(lib, arena, ctx, r, defaultAction, warnings);
                return new Program(export(lib, ctx), flags(s));
            } finally {
                lib.release(ctx);
            }
        }
    }

    /** The seccomp(2) flags for the spec's flags; NEW_LISTENER when a rule notifies. */
    static long flags(Seccomp s) {
        long f = 0;
        for (String flag : s.flags()) {
            switch (flag) {
                case "SECCOMP_FILTER_FLAG_TSYNC" -> f |= FLAG_TSYNC;
                case "SECCOMP_FILTER_FLAG_LOG" -> f |= FLAG_LOG;
                case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> f |= FLAG_SPEC_ALLOW;
                case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" -> f |= FLAG_WAIT_KILLABLE_RECV;
                default -> throw new IllegalArgumentException(flag);
            }
        }
        if (s.notifies()) {
            f |= FLAG_NEW_LISTENER;
            // The kernel refuses TSYNC with a listener unless told how to report a thread it could not sync.
            if ((f & FLAG_TSYNC) != 0) f |= FLAG_TSYNC_ESRCH;
        } else {
            // Meaningful only for a listener; the kernel refuses it without one.
            f &= ~FLAG_WAIT_KILLABLE_RECV;
        }
        return f;
    }

    /** libseccomp's action value (SCMP_ACT_*); errnoRet defaults to EPERM as runtime-spec says. */
    static int action(String name, Long errnoRet) {
        int data = errnoRet == null ? EPERM : (int) (errnoRet & 0xffff);
        return switch (name) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> ACT_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> ACT_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> ACT_TRAP;
            case "SCMP_ACT_ERRNO" -> ACT_ERRNO | data;
            case "SCMP_ACT_TRACE" -> ACT_TRACE | data;
            case "SCMP_ACT_ALLOW" -> ACT_ALLOW;
            case "SCMP_ACT_LOG" -> ACT_LOG;
            case "SCMP_ACT_NOTIFY" -> ACT_NOTIFY;
            default -> throw new IllegalArgumentException(name);
        };
    }

    static int op(String name) {
        return switch (name) {
            case "SCMP_CMP_NE" -> 1;
            case "SCMP_CMP_LT" -> 2;
            case "SCMP_CMP_LE" -> 3;
            case "SCMP_CMP_EQ" -> 4;
            case "SCMP_CMP_GE" -> 5;
            case "SCMP_CMP_GT" -> 6;
            case "SCMP_CMP_MASKED_EQ" -> 7;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void addArch(LibSeccomp lib, Arena arena, MemorySegment ctx, String arch, int i) {
        // SCMP_ARCH_X86_64 -> "x86_64", libseccomp's own name.
        String name = arch.substring("SCMP_ARCH_".length()).toLowerCase(Locale.ROOT);
        int token = lib.archResolve(arena.allocateFrom(name));
        String at = "architectures[" + i + "]";
        if (token == 0) throw invalid(at, arch + " is not supported by this libseccomp");
        int r = lib.archAdd(ctx, token);
        if (r < 0 && r != -EEXIST) throw invalid(at, "add " + arch + ": " + Errno.describe(-r));
    }

    private static void addRule(LibSeccomp lib, Arena arena, MemorySegment ctx, Seccomp.Rule r, int defaultAction,
            List<String> warnings) {
        int action = action(r.action(), r.errnoRet());
        // libseccomp refuses a rule that repeats the default action; runc skips it silently.
        if (action == defaultAction) return;
        boolean split = sameArgTwice(r.args());
        for (int n = 0; n < r.names().size(); n++) {
            String name = r.names().get(n);
            int nr = lib.syscallResolve(arena.allocateFrom(name));
            if (nr == LibSeccomp.NR_SCMP_ERROR) {
                warnings.add("config.json: " + r.path() + ".names[" + n + "]: unknown system call \"" + name
                        + "\" for this architecture, skipped");
                continue;
            }
            if (r.args().isEmpty()) {
                check(lib.ruleAdd(ctx, action, nr, 0, MemorySegment.NULL), r, name);
            } else if (split) {
                for (Seccomp.Arg a : r.args()) check(lib.ruleAdd(ctx, action, nr, 1, args(arena, List.of(a))), r, name);
            } else {
                check(lib.ruleAdd(ctx, action, nr, r.args().size(), args(arena, r.args())), r, name);
            }
        }
    }

    private static boolean sameArgTwice(List<Seccomp.Arg> args) {
        int seen = 0;
        for (Seccomp.Arg a : args) {
            if ((seen & 1 << a.index()) != 0) return true;
            seen |= 1 << a.index();
        }
        return false;
    }

    private static MemorySegment args(Arena arena, List<Seccomp.Arg> args) {
        MemorySegment m = arena.allocate((long) ARG_CMP_SIZE * args.size(), 8);
        for (int i = 0; i < args.size(); i++) {
            Seccomp.Arg a = args.get(i);
            long off = (long) i * ARG_CMP_SIZE;
            m.set(ValueLayout.JAVA_INT, off, a.index());
            m.set(ValueLayout.JAVA_INT, off + 4, op(a.op()));
            m.set(ValueLayout.JAVA_LONG, off + 8, a.value());
            m.set(ValueLayout.JAVA_LONG, off + 16, a.valueTwo());
        }
        return m;
    }

    private static void check(int rc, Seccomp.Rule r, String name) {
        if (rc < 0) throw BerthException.invalid("config.json: " + r.path() + ": libseccomp refused the rule for "
                + name + ": " + Errno.describe(-rc));
    }

    /** seccomp_export_bpf writes to a descriptor: a memfd, so that no size can block it. */
    private static byte[] export(LibSeccomp lib, MemorySegment ctx) {
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = (int) Sys.call("memfd_create", Sys.Nr.MEMFD_CREATE, Sys.cstr(a, "berth-seccomp").address(),
                    MFD_CLOEXEC, 0);
        }
        try {
            int rc = lib.exportBpf(ctx, fd);
            if (rc < 0) throw Sys.error("export the seccomp filter", -rc);
            Sys.call("lseek seccomp filter", NR_LSEEK, fd, 0, SEEK_SET);
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            while (true) {
                byte[] b = Sys.read("read seccomp filter", fd, 65536);
                if (b == null || b.length == 0) break;
                out.write(b, 0, b.length);
            }
            return out.toByteArray();
        } finally {
            Sys.close(fd);
        }
    }

    private static BerthException invalid(String field, String what) {
        return BerthException.invalid("config.json: linux.seccomp." + field + ": " + what);
    }
}
