package dev.berth.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads linux.seccomp (config-linux.md#seccomp). */
final class SeccompParser {
    static final Set<String> ACTIONS = Set.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
            "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");
    static final Set<String> ARCHES = Set.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
            "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
            "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
            "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
            "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");
    static final Set<String> FLAGS = Set.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
    static final Set<String> OPS = Set.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
            "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
    /** A system call takes at most six arguments. */
    private static final int MAX_ARGS = 6;

    /** The filter, or null when the object asks for none (runc: no defaultAction and no syscalls). */
    Seccomp parse(Node s) {
        String defaultAction = s.str("defaultAction");
        Long defaultErrnoRet = s.u32("defaultErrnoRet");
        List<String> arches = s.strings("architectures");
        for (int i = 0; i < arches.size(); i++) check(s, "architectures", i, arches.get(i), ARCHES, "architecture");
        List<String> flags = s.strings("flags");
        for (int i = 0; i < flags.size(); i++) check(s, "flags", i, flags.get(i), FLAGS, "flag");
        String listenerPath = SpecParser.emptyToNull(s.str("listenerPath"));
        String listenerMetadata = SpecParser.emptyToNull(s.str("listenerMetadata"));
        List<Seccomp.Rule> rules = new ArrayList<>();
        for (Node r : s.objs("syscalls")) rules.add(rule(r));
        s.finish();
        if (defaultAction == null) {
            if (rules.isEmpty()) {
                s.report().warn(s.path() + ": has no defaultAction and no syscalls; no filter is loaded");
                return null;
            }
            throw s.error("defaultAction", "is required");
        }
        if (!ACTIONS.contains(defaultAction)) throw s.error("defaultAction", unknown("action", defaultAction));
        // The notify descriptor must reach berth over a socket: a filter that stops every
        // system call for a listener stops that too (runc refuses it for the same reason).
        if (defaultAction.equals("SCMP_ACT_NOTIFY")) throw s.error("defaultAction", "cannot be SCMP_ACT_NOTIFY");
        if (defaultErrnoRet != null && !takesErrno(defaultAction)) {
            throw s.error("defaultErrnoRet", "is only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not "
                    + defaultAction);
        }
        Seccomp seccomp = new Seccomp(defaultAction, defaultErrnoRet, arches, flags, listenerPath, listenerMetadata,
                rules);
        if (seccomp.notifies() && listenerPath == null) {
            throw s.error("listenerPath", "is required when a rule uses SCMP_ACT_NOTIFY");
        }
        if (listenerPath != null && !listenerPath.startsWith("/")) {
            throw s.error("listenerPath", "\"" + listenerPath + "\" must be an absolute path");
        }
        return seccomp;
    }

    private static Seccomp.Rule rule(Node r) {
        List<String> names = r.strings("names");
        if (names.isEmpty()) throw r.error("names", "must be a non-empty array of system call names");
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isEmpty()) throw r.report().error(r.at("names") + "[" + i + "]", "must not be empty");
        }
        String action = r.reqStr("action");
        if (!ACTIONS.contains(action)) throw r.error("action", unknown("action", action));
        Long errnoRet = r.u32("errnoRet");
        // config-linux.md: "When the action doesn't support an errno, the runtime MUST print and error and fail."
        if (errnoRet != null && !takesErrno(action)) {
            throw r.error("errnoRet", "is only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not " + action);
        }
        if (action.equals("SCMP_ACT_NOTIFY") && names.contains("write")) {
            throw r.error("names", "write cannot use SCMP_ACT_NOTIFY: the notify descriptor is sent with it");
        }
        List<Seccomp.Arg> args = new ArrayList<>();
        for (Node a : r.objs("args")) {
            Long index = a.u32("index");
            if (index == null) throw a.error("index", "is required");
            if (index >= MAX_ARGS) throw a.error("index", "must be less than " + MAX_ARGS);
            if (!a.has("value")) throw a.error("value", "is required");
            long value = a.u64("value", 0);
            long valueTwo = a.u64("valueTwo", 0);
            String op = a.reqStr("op");
            if (!OPS.contains(op)) throw a.error("op", unknown("operator", op));
            a.finish();
            args.add(new Seccomp.Arg((int) (long) index, value, valueTwo, op));
        }
        r.finish();
        return new Seccomp.Rule(r.path(), names, action, errnoRet, args);
    }

    private static boolean takesErrno(String action) {
        return action.equals("SCMP_ACT_ERRNO") || action.equals("SCMP_ACT_TRACE");
    }

    private static void check(Node s, String key, int i, String value, Set<String> known, String what) {
        if (!known.contains(value)) throw s.report().error(s.at(key) + "[" + i + "]", unknown(what, value));
    }

    private static String unknown(String what, String value) {
        return "unknown " + what + " \"" + value + "\"";
    }
}
