package dev.berth.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spec.Resources.DeviceRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device program run by a small interpreter of the eBPF instructions it uses. */
class DeviceFilterTest {
    private static final int R = DeviceFilter.ACC_READ, W = DeviceFilter.ACC_WRITE, M = DeviceFilter.ACC_MKNOD;

    /** Runs the program on one access, as the kernel would; returns r0. */
    static long run(byte[] prog, int type, int access, int major, int minor) {
        long[] reg = new long[11];
        int[] ctx = {(access << 16) | type, major, minor};
        int pc = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            int o = pc * 8;
            int code = prog[o] & 0xff;
            int dst = prog[o + 1] & 0x0f;
            int src = (prog[o + 1] >> 4) & 0x0f;
            int off = (short) ((prog[o + 2] & 0xff) | (prog[o + 3] << 8));
            int imm = (prog[o + 4] & 0xff) | ((prog[o + 5] & 0xff) << 8) | ((prog[o + 6] & 0xff) << 16) | (prog[o + 7] << 24);
            pc++;
            switch (code) {
                case 0x61 -> {
                    assertEquals(1, src, "loads only from the context");
                    reg[dst] = ctx[off / 4] & 0xffffffffL;
                }
                case 0x54 -> reg[dst] = (reg[dst] & imm) & 0xffffffffL;
                case 0x74 -> reg[dst] = (reg[dst] & 0xffffffffL) >>> imm;
                case 0xbc -> reg[dst] = reg[src] & 0xffffffffL;
                case 0xb7 -> reg[dst] = imm;
                case 0x55 -> pc += reg[dst] != (imm & 0xffffffffL) ? off : 0;
                case 0x15 -> pc += reg[dst] == (imm & 0xffffffffL) ? off : 0;
                case 0x95 -> {
                    return reg[0];
                }
                default -> throw new AssertionError("unexpected opcode " + Integer.toHexString(code));
            }
            assertTrue(pc * 8 < prog.length, "jumps stay in the program");
        }
        throw new AssertionError("no exit");
    }

    private static boolean allowed(List<DeviceRule> rules, char type, int access, int major, int minor) {
        return run(DeviceFilter.program(rules), type == 'b' ? DeviceFilter.DEV_BLOCK : DeviceFilter.DEV_CHAR, access,
                major, minor) == 1;
    }

    @Test
    void theDefaultRulesAllowOnlyTheStandardDevices() {
        List<DeviceRule> rules = DeviceRules.of(List.of(new DeviceRule(false, 'a', -1, -1, "rwm")), List.of());
        assertTrue(allowed(rules, 'c', R | W, 1, 3), "/dev/null");
        assertTrue(allowed(rules, 'c', R, 136, 7), "/dev/pts/7");
        assertTrue(allowed(rules, 'c', M, 240, 0), "mknod of any character device");
        assertTrue(allowed(rules, 'b', M, 8, 0), "mknod of any block device");
        assertFalse(allowed(rules, 'c', R, 240, 0), "reading an unlisted device");
        assertFalse(allowed(rules, 'b', R | W, 8, 0), "a disk");
        assertFalse(allowed(rules, 'c', R | M, 240, 0), "r is not granted, even with m");
    }

    @Test
    void laterRulesWin() {
        List<DeviceRule> rules = List.of(new DeviceRule(false, 'a', -1, -1, "rwm"),
                new DeviceRule(true, 'c', 240, -1, "rw"),
                new DeviceRule(false, 'c', 240, 1, "w"));
        assertTrue(allowed(rules, 'c', R | W, 240, 0));
        assertTrue(allowed(rules, 'c', R, 240, 1), "only w is denied on 240:1");
        assertFalse(allowed(rules, 'c', W, 240, 1));
        assertFalse(allowed(rules, 'c', R | W, 240, 1), "a request naming a denied bit is denied");
        assertFalse(allowed(rules, 'b', R, 240, 0), "the type matters");
    }

    @Test
    void allowAllAndNothing() {
        assertTrue(allowed(List.of(new DeviceRule(true, 'a', -1, -1, "rwm")), 'b', R | W | M, 8, 0));
        assertFalse(allowed(List.of(), 'c', R, 1, 3), "no rule: deny");
    }
}
