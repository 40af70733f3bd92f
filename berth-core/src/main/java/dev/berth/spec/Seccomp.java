package dev.berth.spec;

import java.util.List;

/**
 * linux.seccomp, checked: every action, architecture, flag and operator is one runtime-spec
 * defines. Syscall names are checked only when the filter is built, against libseccomp's tables.
 *
 * @param defaultErrnoRet null when absent (EPERM for SCMP_ACT_ERRNO and SCMP_ACT_TRACE)
 */
public record Seccomp(String defaultAction, Long defaultErrnoRet, List<String> architectures, List<String> flags,
        String listenerPath, String listenerMetadata, List<Rule> syscalls) {

    public Seccomp {
        architectures = List.copyOf(architectures);
        flags = List.copyOf(flags);
        syscalls = List.copyOf(syscalls);
    }

    /** True when some rule asks for SCMP_ACT_NOTIFY, so the filter gives a listener descriptor. */
    public boolean notifies() {
        for (Rule r : syscalls) {
            if (r.action().equals("SCMP_ACT_NOTIFY")) return true;
        }
        return false;
    }

    /** One entry of syscalls; {@code path} is its field path for messages. */
    public record Rule(String path, List<String> names, String action, Long errnoRet, List<Arg> args) {
        public Rule {
            names = List.copyOf(names);
            args = List.copyOf(args);
        }
    }

    /** A condition on argument {@code index}: {@code value} and {@code valueTwo} are unsigned 64-bit. */
    public record Arg(int index, long value, long valueTwo, String op) {
    }
}
