package dev.berth.spec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** process.scheduler as the kernel's struct sched_attr (sched_setattr(2), the 48-byte first version). */
public final class SchedAttr {
    private static final int SIZE_VER0 = 48;

    private SchedAttr() {}

    static int policy(String name) {
        return switch (name) {
            case "SCHED_OTHER" -> 0;
            case "SCHED_FIFO" -> 1;
            case "SCHED_RR" -> 2;
            case "SCHED_BATCH" -> 3;
            case "SCHED_ISO" -> 4;
            case "SCHED_IDLE" -> 5;
            case "SCHED_DEADLINE" -> 6;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The SCHED_FLAG_* value of a name, 0 when there is none. */
    static long flag(String name) {
        return switch (name) {
            case "SCHED_FLAG_RESET_ON_FORK" -> 0x01;
            case "SCHED_FLAG_RECLAIM" -> 0x02;
            case "SCHED_FLAG_DL_OVERRUN" -> 0x04;
            case "SCHED_FLAG_KEEP_POLICY" -> 0x08;
            case "SCHED_FLAG_KEEP_PARAMS" -> 0x10;
            case "SCHED_FLAG_UTIL_CLAMP_MIN" -> 0x20;
            case "SCHED_FLAG_UTIL_CLAMP_MAX" -> 0x40;
            default -> 0;
        };
    }

    /** struct sched_attr: size, policy, flags, nice, priority, runtime, deadline, period. */
    public static byte[] encode(ProcessSpec.Scheduler s) {
        long flags = 0;
        for (String f : s.flags()) flags |= flag(f);
        ByteBuffer b = ByteBuffer.allocate(SIZE_VER0).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SIZE_VER0).putInt(policy(s.policy())).putLong(flags).putInt(s.nice()).putInt(s.priority())
                .putLong(s.runtime()).putLong(s.deadline()).putLong(s.period());
        return b.array();
    }

    /** ioprio_set's value: class in the top bits (IOPRIO_CLASS_SHIFT 13), priority below. */
    public static int ioPriority(ProcessSpec.IoPriority p) {
        int cls = switch (p.ioClass()) {
            case "IOPRIO_CLASS_RT" -> 1;
            case "IOPRIO_CLASS_BE" -> 2;
            case "IOPRIO_CLASS_IDLE" -> 3;
            default -> throw new IllegalArgumentException(p.ioClass());
        };
        return cls << 13 | p.priority();
    }

    /** personality(2)'s value for linux.personality.domain. */
    public static int personality(Personality p) {
        return p.domain().equals("LINUX32") ? 0x0008 : 0x0000;
    }
}
