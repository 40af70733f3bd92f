package dev.berth.spec;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Linux capability names and numbers (linux/capability.h), and the last one this kernel knows.
 * A name berth does not know is an error in config.json; a known one the kernel does not have
 * yet is left out with a warning, as runc does.
 */
public final class Capability {
    /** Index = capability number. */
    private static final String[] NAMES = {
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    };
    private static final Map<String, Integer> NUMBERS = new HashMap<>();
    static {
        for (int i = 0; i < NAMES.length; i++) NUMBERS.put(NAMES[i], i);
    }
    private static int lastCap = -1;

    private Capability() {}

    /** The number of a capability name, or -1 when berth does not know it. */
    public static int number(String name) {
        Integer n = NUMBERS.get(name);
        return n == null ? -1 : n;
    }

    public static String name(int number) {
        return number >= 0 && number < NAMES.length ? NAMES[number] : "capability " + number;
    }

    /** Every name berth knows, in number order (for `berth features`). */
    public static List<String> known() {
        return List.of(NAMES);
    }

    /**
     * The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap); berth's
     * own last one when the file cannot be read.
     */
    public static synchronized int lastCap() {
        if (lastCap < 0) {
            // FileInputStream, not Files.readString: on /proc/sys files (size 0) the latter has
            // been seen to return only the first byte ("4" for "40").
            try (FileInputStream in = new FileInputStream("/proc/sys/kernel/cap_last_cap")) {
                lastCap = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
            } catch (IOException | NumberFormatException e) {
                lastCap = NAMES.length - 1;
            }
        }
        return lastCap;
    }

    /** The bit mask of names, leaving out those above {@code last}. Names must be known. */
    public static long mask(List<String> names, int last) {
        long mask = 0;
        if (names == null) return 0;
        for (String n : names) {
            int bit = number(n);
            if (bit >= 0 && bit <= last) mask |= 1L << bit;
        }
        return mask;
    }
}
