package dev.berth.cgroup;

import dev.berth.api.BerthException;
import dev.berth.spec.Resources.DeviceRule;
import dev.berth.sys.Errno;
import dev.berth.sys.Sys;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a {@link DeviceFilter} program with bpf(2) and attaches it to a cgroup v2 directory
 * (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI, as runc). The cgroup keeps the program; berth keeps no
 * descriptor. Device rules are fixed at create, so there is no replacement.
 */
public final class BpfDevices {
    private static final int NR_BPF = 321; // x86-64
    private static final int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15, BPF_CGROUP_DEVICE = 6, BPF_F_ALLOW_MULTI = 2;
    private static final int ATTR_SIZE = 144;
    private static final int LOG_SIZE = 64 * 1024;

    private BpfDevices() {}

    /** Attaches a program enforcing {@code rules} to the cgroup directory {@code dir}. */
    public static void attach(Path dir, List<DeviceRule> rules) {
        int prog = load(DeviceFilter.program(rules));
        int cg = -1;
        try {
            cg = Sys.openat("open cgroup " + dir, dir.toString(), Sys.O_RDONLY | Sys.O_CLOEXEC | 0200000, 0);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment attr = a.allocate(ATTR_SIZE);
                attr.set(ValueLayout.JAVA_INT, 0, cg);
                attr.set(ValueLayout.JAVA_INT, 4, prog);
                attr.set(ValueLayout.JAVA_INT, 8, BPF_CGROUP_DEVICE);
                attr.set(ValueLayout.JAVA_INT, 12, BPF_F_ALLOW_MULTI);
                long r = Sys.raw(NR_BPF, BPF_PROG_ATTACH, attr.address(), ATTR_SIZE);
                if (r < 0) throw Sys.error("attach the device program to cgroup " + dir, (int) -r);
            }
        } finally {
            Sys.close(cg);
            Sys.close(prog);
        }
    }

    /** BPF_PROG_LOAD; on failure a second load with the verifier's log, for the message. */
    static int load(byte[] insns) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment code = a.allocate(insns.length);
            MemorySegment.copy(insns, 0, code, ValueLayout.JAVA_BYTE, 0, insns.length);
            MemorySegment license = a.allocateFrom("Apache-2.0", StandardCharsets.UTF_8);
            MemorySegment attr = a.allocate(ATTR_SIZE);
            attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_CGROUP_DEVICE);
            attr.set(ValueLayout.JAVA_INT, 4, insns.length / 8);
            attr.set(ValueLayout.JAVA_LONG, 8, code.address());
            attr.set(ValueLayout.JAVA_LONG, 16, license.address());
            long fd = Sys.raw(NR_BPF, BPF_PROG_LOAD, attr.address(), ATTR_SIZE);
            if (fd >= 0) return (int) fd;
            MemorySegment log = a.allocate(LOG_SIZE);
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, LOG_SIZE);
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            long again = Sys.raw(NR_BPF, BPF_PROG_LOAD, attr.address(), ATTR_SIZE);
            if (again >= 0) return (int) again;
            String verifier = log.getString(0, StandardCharsets.UTF_8).trim();
            throw new BerthException(BerthException.Kind.SYSTEM, "load the device program: "
                    + Errno.describe((int) -fd) + (verifier.isEmpty() ? "" : " (verifier: " + verifier + ")"),
                    (int) -fd, null);
        }
    }
}
