package dev.berth.plan;

import dev.berth.json.Json;
import dev.berth.spec.MountFlags;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A readable form of a plan, one line per top-level attribute, for golden tests and debug logs:
 * {@code OP_MOUNT source=proc target=/proc fstype=proc flags=MS_NOSUID|MS_NODEV|MS_NOEXEC kind=TARGET_DIR}.
 * It decodes the bytes rather than the builder's intent, so it shows exactly what the helper gets.
 * Names come from {@link Protocol} by reflection, which is fine off the start-up path.
 */
public final class PlanText {
    private static final Map<Integer, String> TOP = names("P_", "OP_");
    private static final Map<Integer, String> NESTED = names("A_", "PR_");

    private static final Set<Integer> NESTED_TOP = Set.of(Protocol.P_JOIN_NS, Protocol.P_TIME_OFFSET,
            Protocol.P_PROCESS, Protocol.P_HOOK);
    private static final Set<Integer> U32 = Set.of(Protocol.P_MODE, Protocol.P_NEW_NS, Protocol.P_FIFO,
            Protocol.P_LOG_LEVEL, Protocol.A_PID, Protocol.A_ERRNO, Protocol.A_LEVEL, Protocol.A_KIND, Protocol.A_MODE,
            Protocol.A_MAJOR, Protocol.A_MINOR, Protocol.A_UID, Protocol.A_GID, Protocol.A_TIMEOUT, Protocol.A_NSTYPE,
            Protocol.A_OFFSET_NSEC, Protocol.A_CLOCK, Protocol.A_OPTIONAL, Protocol.A_MODE_HELPER, Protocol.A_IDMAP, Protocol.PR_UID,
            Protocol.PR_GID, Protocol.PR_ADDITIONAL_GID, Protocol.PR_UMASK, Protocol.A_RESOURCE, Protocol.A_STAGE,
            Protocol.PR_NO_NEW_PRIVS, Protocol.PR_OOM_SCORE_ADJ, Protocol.PR_IOPRIO, Protocol.PR_PERSONALITY,
            Protocol.P_JOIN_PIDFD, Protocol.P_CONSOLE, Protocol.P_PRESERVE_FDS, Protocol.PR_CONSOLE_HEIGHT,
            Protocol.PR_CONSOLE_WIDTH);
    private static final Set<Integer> U64 = Set.of(Protocol.A_FLAGS, Protocol.A_PROPAGATION, Protocol.A_ATTR_SET,
            Protocol.A_ATTR_CLR, Protocol.A_OFFSET_SEC, Protocol.A_SOFT, Protocol.A_HARD, Protocol.PR_CAPS_BOUNDING,
            Protocol.PR_CAPS_EFFECTIVE, Protocol.PR_CAPS_PERMITTED, Protocol.PR_CAPS_INHERITABLE,
            Protocol.PR_CAPS_AMBIENT);
    private static final Set<Integer> NESTED_PROCESS = Set.of(Protocol.PR_RLIMIT, Protocol.PR_SECCOMP,
            Protocol.PR_LSM_ATTR);

    private static final Map<Long, String> CLONE_NAMES = new LinkedHashMap<>();
    static {
        CLONE_NAMES.put(0x80L, "CLONE_NEWTIME");
        CLONE_NAMES.put(0x20000L, "CLONE_NEWNS");
        CLONE_NAMES.put(0x02000000L, "CLONE_NEWCGROUP");
        CLONE_NAMES.put(0x04000000L, "CLONE_NEWUTS");
        CLONE_NAMES.put(0x08000000L, "CLONE_NEWIPC");
        CLONE_NAMES.put(0x10000000L, "CLONE_NEWUSER");
        CLONE_NAMES.put(0x20000000L, "CLONE_NEWPID");
        CLONE_NAMES.put(0x40000000L, "CLONE_NEWNET");
    }

    private PlanText() {}

    public static String render(byte[] message) {
        Message m = Message.parse(message, message.length);
        StringBuilder sb = new StringBuilder();
        for (Message.Attr a : m.attrs()) {
            String name = TOP.getOrDefault(a.type(), "ATTR_" + a.type());
            sb.append(name);
            if (NESTED_TOP.contains(a.type()) || name.startsWith("OP_")) {
                for (Message.Attr n : a.nested()) {
                    String key = NESTED.getOrDefault(n.type(), "attr_" + n.type());
                    sb.append(' ').append(key.substring(key.indexOf('_') + 1).toLowerCase()).append('=');
                    if (NESTED_PROCESS.contains(n.type())) {
                        // rlimit={resource=7 soft=1024 hard=1024}
                        sb.append('{');
                        String sep = "";
                        for (Message.Attr x : n.nested()) {
                            String k = NESTED.getOrDefault(x.type(), "attr_" + x.type());
                            sb.append(sep).append(k.substring(k.indexOf('_') + 1).toLowerCase()).append('=');
                            // Seccomp flags are SECCOMP_FILTER_FLAG_*, the program is only counted.
                            if (x.type() == Protocol.A_FLAGS) sb.append("0x").append(Long.toHexString(x.u64()));
                            else if (x.type() == Protocol.A_PROGRAM) sb.append(x.payload().length / 8).append("_insns");
                            else sb.append(value(x));
                            sep = " ";
                        }
                        sb.append('}');
                    } else if (n.type() == Protocol.PR_SCHED_ATTR || n.type() == Protocol.PR_CPU_AFFINITY) {
                        sb.append(java.util.HexFormat.of().formatHex(n.payload()));
                    } else {
                        sb.append(value(n));
                    }
                }
            } else {
                sb.append(' ').append(value(a));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String value(Message.Attr a) {
        int t = a.type();
        if (U64.contains(t)) {
            long v = a.u64();
            return switch (t) {
                case Protocol.A_FLAGS, Protocol.A_PROPAGATION -> MountFlags.describe(v, MountFlags.MS_NAMES);
                case Protocol.A_ATTR_SET, Protocol.A_ATTR_CLR -> MountFlags.describe(v, MountFlags.ATTR_NAMES);
                case Protocol.PR_CAPS_BOUNDING, Protocol.PR_CAPS_EFFECTIVE, Protocol.PR_CAPS_PERMITTED,
                        Protocol.PR_CAPS_INHERITABLE, Protocol.PR_CAPS_AMBIENT -> capabilities(v);
                case Protocol.A_SOFT, Protocol.A_HARD -> v == -1 ? "RLIM_INFINITY" : Long.toUnsignedString(v);
                default -> Long.toString(v);
            };
        }
        if (U32.contains(t)) {
            long v = a.u32() & 0xffff_ffffL;
            return switch (t) {
                case Protocol.P_MODE, Protocol.A_MODE_HELPER -> v == Protocol.HELPER_CREATE ? "HELPER_CREATE"
                        : v == Protocol.HELPER_EXEC ? "HELPER_EXEC" : Long.toString(v);
                case Protocol.P_LOG_LEVEL, Protocol.A_LEVEL -> constant("LOG_", v);
                case Protocol.A_KIND -> v <= Protocol.TARGET_FILE ? constant("TARGET_", v) : constant("HOOK_", v);
                case Protocol.P_NEW_NS, Protocol.A_NSTYPE -> MountFlags.describe(v, CLONE_NAMES);
                case Protocol.A_CLOCK -> v == 1 ? "CLOCK_MONOTONIC" : v == 7 ? "CLOCK_BOOTTIME" : Long.toString(v);
                case Protocol.A_MODE, Protocol.PR_UMASK -> String.format("0%o", v);
                default -> Long.toString(v);
            };
        }
        String s = a.str();
        boolean plain = !s.isEmpty() && s.chars().allMatch(c -> c > ' ' && c != '"' && c != '\\' && c < 0x7f);
        return plain ? s : Json.write(s, false);
    }

    private static String capabilities(long mask) {
        if (mask == 0) return "0";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            if ((mask >>> i & 1) == 0) continue;
            if (sb.length() > 0) sb.append('|');
            sb.append(dev.berth.spec.Capability.name(i));
        }
        return sb.toString();
    }

    private static String constant(String prefix, long value) {
        for (Field f : Protocol.class.getFields()) {
            try {
                if (f.getName().startsWith(prefix) && f.getInt(null) == value) return f.getName();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return Long.toString(value);
    }

    private static Map<Integer, String> names(String... prefixes) {
        Map<Integer, String> m = new HashMap<>();
        for (Field f : Protocol.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) continue;
            for (String p : prefixes) {
                if (f.getName().startsWith(p)) {
                    try {
                        m.put(f.getInt(null), f.getName());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return m;
    }
}
