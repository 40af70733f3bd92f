package dev.berth.cgroup;

import dev.berth.spec.Resources.DeviceRule;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The cgroup v2 device controller: a BPF_PROG_TYPE_CGROUP_DEVICE program, as eBPF instructions,
 * that answers each device access of the container with the device rules (see {@link DeviceRules}).
 *
 * <p>The kernel passes {@code struct bpf_cgroup_dev_ctx {u32 access_type; u32 major; u32 minor;}},
 * {@code access_type} being {@code (access << 16) | type}. The program checks the rules from the
 * last to the first; the first that matches decides (so later rules win, as with v1's files). An
 * allow rule matches when it grants every requested access bit; a deny rule when it names any of
 * them. Nothing matching means deny. This is exact for the lists berth makes (deny all, then
 * exceptions); for lists that mix partial allows and denies of one device it may be stricter than
 * v1's bookkeeping, never looser.
 */
public final class DeviceFilter {
    // eBPF opcodes (linux/bpf.h, linux/bpf_common.h)
    private static final int LDX_MEM_W = 0x61;   // dst = *(u32 *)(src + off)
    private static final int ALU32_AND_K = 0x54; // dst &= imm (32 bit)
    private static final int ALU32_RSH_K = 0x74; // dst >>= imm (32 bit)
    private static final int ALU32_MOV_X = 0xbc; // dst = src (32 bit)
    private static final int ALU64_MOV_K = 0xb7; // dst = imm
    private static final int JNE_K = 0x55;       // if dst != imm goto +off
    private static final int JEQ_K = 0x15;       // if dst == imm goto +off
    private static final int EXIT = 0x95;

    private static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    /** BPF_DEVCG_ACC_* and BPF_DEVCG_DEV_*. */
    static final int ACC_MKNOD = 1, ACC_READ = 2, ACC_WRITE = 4, DEV_BLOCK = 1, DEV_CHAR = 2;

    private DeviceFilter() {}

    /** The program for {@code rules}, as the little-endian instruction bytes bpf(BPF_PROG_LOAD) takes. */
    public static byte[] program(List<DeviceRule> rules) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        insn(out, LDX_MEM_W, R2, R1, 0, 0);   // r2 = access_type
        insn(out, ALU32_AND_K, R2, 0, 0, 0xffff); // r2 = type
        insn(out, LDX_MEM_W, R3, R1, 0, 0);
        insn(out, ALU32_RSH_K, R3, 0, 0, 16);  // r3 = access
        insn(out, LDX_MEM_W, R4, R1, 4, 0);   // r4 = major
        insn(out, LDX_MEM_W, R5, R1, 8, 0);   // r5 = minor
        for (int i = rules.size() - 1; i >= 0; i--) rule(out, rules.get(i));
        insn(out, ALU64_MOV_K, R0, 0, 0, 0);
        insn(out, EXIT, 0, 0, 0, 0);
        return out.toByteArray();
    }

    private static void rule(ByteArrayOutputStream out, DeviceRule r) {
        int access = access(r.access());
        boolean type = r.type() != 'a';
        boolean major = type && r.major() >= 0;
        boolean minor = type && r.minor() >= 0;
        // A failed check jumps past the block: its offset is the number of instructions after it.
        int n = (type ? 1 : 0) + 3 + (major ? 1 : 0) + (minor ? 1 : 0) + 2;
        int i = 0;
        if (type) insn(out, JNE_K, R2, 0, n - ++i, r.type() == 'b' ? DEV_BLOCK : DEV_CHAR);
        insn(out, ALU32_MOV_X, R1, R3, 0, 0);
        i++;
        if (r.allow()) {
            // every requested bit granted: (access & ~granted) == 0
            insn(out, ALU32_AND_K, R1, 0, 0, ~access & 7);
            i++;
            insn(out, JNE_K, R1, 0, n - ++i, 0);
        } else {
            // any requested bit named: (access & denied) != 0
            insn(out, ALU32_AND_K, R1, 0, 0, access);
            i++;
            insn(out, JEQ_K, R1, 0, n - ++i, 0);
        }
        if (major) insn(out, JNE_K, R4, 0, n - ++i, (int) r.major());
        if (minor) insn(out, JNE_K, R5, 0, n - ++i, (int) r.minor());
        insn(out, ALU64_MOV_K, R0, 0, 0, r.allow() ? 1 : 0);
        insn(out, EXIT, 0, 0, 0, 0);
    }

    static int access(String rwm) {
        int a = 0;
        for (int i = 0; i < rwm.length(); i++) {
            switch (rwm.charAt(i)) {
                case 'r' -> a |= ACC_READ;
                case 'w' -> a |= ACC_WRITE;
                case 'm' -> a |= ACC_MKNOD;
                default -> { }
            }
        }
        return a;
    }

    /** struct bpf_insn: u8 code, u8 dst:4 src:4, s16 off, s32 imm; little-endian. */
    private static void insn(ByteArrayOutputStream out, int code, int dst, int src, int off, int imm) {
        out.write(code);
        out.write((src << 4) | dst);
        out.write(off & 0xff);
        out.write((off >> 8) & 0xff);
        out.write(imm & 0xff);
        out.write((imm >> 8) & 0xff);
        out.write((imm >> 16) & 0xff);
        out.write((imm >> 24) & 0xff);
    }
}
