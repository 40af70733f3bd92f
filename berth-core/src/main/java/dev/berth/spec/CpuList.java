package dev.berth.spec;

/**
 * A CPU list as cpusets write it ("0-3,7"), for process.execCPUAffinity, turned into the bit mask
 * sched_setaffinity(2) takes: little-endian 64-bit words, bit N = CPU N.
 */
public final class CpuList {
    /** Far above any machine berth runs on, and small enough for a plan attribute. */
    static final int MAX_CPUS = 8192;

    private CpuList() {}

    /** The mask of a list, or null when the text is not a CPU list. */
    public static byte[] mask(String list) {
        if (list.isEmpty()) return null;
        long[] words = new long[MAX_CPUS / 64];
        int highest = -1;
        int i = 0;
        while (i <= list.length()) {
            int comma = list.indexOf(',', i);
            String part = list.substring(i, comma < 0 ? list.length() : comma).trim();
            int dash = part.indexOf('-');
            int from = number(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : number(part.substring(dash + 1));
            if (from < 0 || to < from) return null;
            for (int cpu = from; cpu <= to; cpu++) words[cpu / 64] |= 1L << (cpu % 64);
            highest = Math.max(highest, to);
            if (comma < 0) break;
            i = comma + 1;
        }
        int n = highest / 64 + 1;
        byte[] out = new byte[n * 8];
        for (int w = 0; w < n; w++) {
            for (int b = 0; b < 8; b++) out[w * 8 + b] = (byte) (words[w] >>> (8 * b));
        }
        return out;
    }

    private static int number(String s) {
        if (s.isEmpty() || s.length() > 5) return -1;
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v < MAX_CPUS ? v : -1;
    }
}
