package dev.berth.spec;

/** The RLIMIT_* names of process.rlimits and their numbers on Linux (asm-generic/resource.h). */
public final class ResourceLimit {
    /** Index = resource number. */
    private static final String[] NAMES = {
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
        "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    };

    private ResourceLimit() {}

    /** The resource number of a name, or -1 when Linux has no such limit. */
    public static int number(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) return i;
        }
        return -1;
    }

    static String names() {
        return String.join(", ", NAMES);
    }
}
