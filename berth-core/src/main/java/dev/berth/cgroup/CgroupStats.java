package dev.berth.cgroup;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "data" of runc's events --stats, read from the container's cgroup files: cpu, memory, pids
 * and blkio in runc's field names (libcontainer/cgroups types.Stats). Values a file does not give
 * are left out or zero, as in runc's output.
 */
public final class CgroupStats {
    /** USER_HZ: cpuacct.stat counts in these ticks; runc reports nanoseconds. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final BigInteger MAX_U64 = new BigInteger("18446744073709551615");

    private CgroupStats() {}

    public static Map<String, Object> read(ContainerCgroup cg) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cpu", cg.unified() ? cpuV2(cg) : cpuV1(cg));
        data.put("memory", cg.unified() ? memoryV2(cg) : memoryV1(cg));
        Map<String, Object> pids = new LinkedHashMap<>();
        putIf(pids, "current", number(cg.read("pids", "pids.current")));
        putIf(pids, "limit", number(cg.read("pids", "pids.max")));
        data.put("pids", pids);
        data.put("blkio", cg.unified() ? Map.of() : blkioV1(cg));
        data.put("hugetlb", Map.of());
        data.put("intel_rdt", Map.of());
        data.put("network_interfaces", null);
        return data;
    }

    /** The number of OOM kills the memory controller counted in this cgroup (0 when it cannot tell). */
    public static long oomKills(ContainerCgroup cg) {
        String text = cg.unified() ? cg.read("memory", "memory.events") : cg.read("memory", "memory.oom_control");
        Map<String, Object> m = keyValues(text);
        Object v = m.get("oom_kill");
        return v instanceof Long l ? l : 0;
    }

    private static Map<String, Object> cpuV1(ContainerCgroup cg) {
        Map<String, Object> usage = new LinkedHashMap<>();
        putIf(usage, "total", number(cg.read("cpuacct", "cpuacct.usage")));
        List<Object> percpu = numbers(cg.read("cpuacct", "cpuacct.usage_percpu"));
        if (!percpu.isEmpty()) usage.put("percpu", percpu);
        Map<String, Object> stat = keyValues(cg.read("cpuacct", "cpuacct.stat"));
        usage.put("kernel", ticks(stat.get("system")));
        usage.put("user", ticks(stat.get("user")));
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("usage", usage);
        cpu.put("throttling", throttling(keyValues(cg.read("cpu", "cpu.stat")), "nr_periods", "nr_throttled",
                "throttled_time", 1));
        return cpu;
    }

    private static Map<String, Object> cpuV2(ContainerCgroup cg) {
        Map<String, Object> stat = keyValues(cg.read("cpu", "cpu.stat"));
        Map<String, Object> usage = new LinkedHashMap<>();
        putIf(usage, "total", times(stat.get("usage_usec"), 1000));
        usage.put("kernel", times(stat.get("system_usec"), 1000));
        usage.put("user", times(stat.get("user_usec"), 1000));
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("usage", usage);
        cpu.put("throttling", throttling(stat, "nr_periods", "nr_throttled", "throttled_usec", 1000));
        return cpu;
    }

    private static Map<String, Object> throttling(Map<String, Object> stat, String periods, String throttled,
            String time, long scale) {
        Map<String, Object> t = new LinkedHashMap<>();
        putIf(t, "periods", stat.get(periods));
        putIf(t, "throttledPeriods", stat.get(throttled));
        putIf(t, "throttledTime", times(stat.get(time), scale));
        return t;
    }

    private static Map<String, Object> memoryV1(ContainerCgroup cg) {
        Map<String, Object> raw = keyValues(cg.read("memory", "memory.stat"));
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "cache", raw.get("total_cache"));
        m.put("usage", entry(cg, "memory.usage_in_bytes", "memory.limit_in_bytes", "memory.max_usage_in_bytes",
                "memory.failcnt"));
        m.put("swap", entry(cg, "memory.memsw.usage_in_bytes", "memory.memsw.limit_in_bytes",
                "memory.memsw.max_usage_in_bytes", "memory.memsw.failcnt"));
        m.put("kernel", entry(cg, "memory.kmem.usage_in_bytes", "memory.kmem.limit_in_bytes",
                "memory.kmem.max_usage_in_bytes", "memory.kmem.failcnt"));
        m.put("kernelTCP", entry(cg, "memory.kmem.tcp.usage_in_bytes", "memory.kmem.tcp.limit_in_bytes",
                "memory.kmem.tcp.max_usage_in_bytes", "memory.kmem.tcp.failcnt"));
        if (!raw.isEmpty()) m.put("raw", raw);
        return m;
    }

    private static Map<String, Object> memoryV2(ContainerCgroup cg) {
        Map<String, Object> raw = keyValues(cg.read("memory", "memory.stat"));
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "cache", raw.get("file"));
        m.put("usage", entry(cg, "memory.current", "memory.max", "memory.peak", null));
        m.put("swap", entry(cg, "memory.swap.current", "memory.swap.max", "memory.swap.peak", null));
        m.put("kernel", Map.of("limit", 0L, "failcnt", 0L));
        m.put("kernelTCP", Map.of("limit", 0L, "failcnt", 0L));
        if (!raw.isEmpty()) m.put("raw", raw);
        return m;
    }

    private static Map<String, Object> entry(ContainerCgroup cg, String usage, String limit, String max, String failcnt) {
        Map<String, Object> e = new LinkedHashMap<>();
        Object l = number(cg.read("memory", limit));
        e.put("limit", l == null ? 0L : l);
        putIf(e, "usage", number(cg.read("memory", usage)));
        putIf(e, "max", number(cg.read("memory", max)));
        Object f = failcnt == null ? null : number(cg.read("memory", failcnt));
        e.put("failcnt", f == null ? 0L : f);
        return e;
    }

    private static Map<String, Object> blkioV1(ContainerCgroup cg) {
        Map<String, Object> b = new LinkedHashMap<>();
        List<Object> bytes = blkioEntries(cg.read("blkio", "blkio.throttle.io_service_bytes_recursive"));
        if (!bytes.isEmpty()) b.put("ioServiceBytesRecursive", bytes);
        List<Object> ios = blkioEntries(cg.read("blkio", "blkio.throttle.io_serviced_recursive"));
        if (!ios.isEmpty()) b.put("ioServicedRecursive", ios);
        return b;
    }

    /** Lines "8:0 Read 4096"; the "Total" line of the file is not an entry. */
    private static List<Object> blkioEntries(String text) {
        List<Object> list = new ArrayList<>();
        if (text == null) return list;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length != 3) continue;
            int colon = f[0].indexOf(':');
            if (colon < 0) continue;
            Map<String, Object> e = new LinkedHashMap<>();
            putIf(e, "major", number(f[0].substring(0, colon)));
            putIf(e, "minor", number(f[0].substring(colon + 1)));
            e.put("op", f[1]);
            putIf(e, "value", number(f[2]));
            list.add(e);
        }
        return list;
    }

    /** "key value" lines (memory.stat, cpu.stat) as numbers. */
    static Map<String, Object> keyValues(String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (text == null) return m;
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp <= 0) continue;
            Object v = number(line.substring(sp + 1).trim());
            if (v != null) m.put(line.substring(0, sp), v);
        }
        return m;
    }

    /** A file's number: "max" is 2^64-1 as runc reports it; null when it is not a number. */
    static Object number(String s) {
        if (s == null || s.isEmpty()) return null;
        if (s.equals("max")) return MAX_U64;
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) return null;
        }
        if (s.length() <= 19) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException tooBig) {
                // above 2^63-1: a u64 such as an unlimited v1 value on some kernels
            }
        }
        return new BigInteger(s);
    }

    private static List<Object> numbers(String s) {
        List<Object> list = new ArrayList<>();
        if (s == null) return list;
        for (String f : s.split(" ")) {
            Object v = number(f.trim());
            if (v != null) list.add(v);
        }
        return list;
    }

    private static Object ticks(Object v) {
        return v instanceof Long l ? l * NANOS_PER_TICK : 0L;
    }

    private static Object times(Object v, long scale) {
        return v instanceof Long l ? l * scale : null;
    }

    /** Go's omitempty: zero and absent values are left out. */
    private static void putIf(Map<String, Object> m, String key, Object v) {
        if (v == null || (v instanceof Long l && l == 0)) return;
        m.put(key, v);
    }
}
