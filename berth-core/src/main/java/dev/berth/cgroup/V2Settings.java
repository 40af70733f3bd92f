package dev.berth.cgroup;

import dev.berth.api.BerthException;
import dev.berth.spec.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * linux.resources as cgroup v2 file writes in the container's one directory. v1 values are
 * converted as runc converts them (cpu shares to cpu.weight, blkio weight to io.bfq.weight or
 * io.weight, memory+swap to memory.swap.max); fields v2 has no file for are errors naming them.
 * linux.resources.unified is written last, so that it wins over the converted values. Device
 * rules become an eBPF program ({@link DeviceFilter}) rather than files.
 */
public final class V2Settings {
    private final String where;
    private final List<CgroupWrite> writes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private V2Settings(String where) {
        this.where = where;
    }

    public static CgroupSettings of(Resources r, String where) {
        return of(r, null, where);
    }

    /**
     * @param deviceRules the complete rule list for the device program (create), or null to leave
     *     the devices as they are (update)
     */
    public static CgroupSettings of(Resources r, List<Resources.DeviceRule> deviceRules, String where) {
        V2Settings s = new V2Settings(where);
        s.memory(r.memory());
        s.cpu(r.cpu());
        if (r.pidsLimit() != null && r.pidsLimit() != 0) {
            s.add("pids", "pids.max", r.pidsLimit() < 0 ? "max" : Long.toString(r.pidsLimit()), "pids.limit");
        }
        s.blockIo(r.blockIo());
        for (Resources.HugepageLimit h : r.hugepageLimits()) {
            s.add("hugetlb", "hugetlb." + h.pageSize() + ".max", Long.toUnsignedString(h.limit()), "hugepageLimits");
        }
        if (r.network() != null && (r.network().classId() != null || !r.network().priorities().isEmpty())) {
            throw s.error("network", "net_cls and net_prio exist only on cgroup v1");
        }
        for (Map.Entry<String, Resources.Rdma> e : r.rdma().entrySet()) {
            String v = Rdma.line(e.getKey(), e.getValue());
            if (v != null) s.add("rdma", "rdma.max", v, "rdma");
        }
        for (Map.Entry<String, String> e : r.unified().entrySet()) {
            String file = e.getKey();
            s.writes.add(new CgroupWrite(file.substring(0, file.indexOf('.')), file, e.getValue(),
                    where + ".unified[\"" + file + "\"]"));
        }
        return new CgroupSettings(s.writes, s.warnings, deviceRules);
    }

    private void memory(Resources.Memory m) {
        if (m == null) return;
        long limit = m.limit() == null ? 0 : m.limit();
        long swap = m.swap() == null ? 0 : m.swap();
        if (limit != 0) add("memory", "memory.max", max(limit), "memory.limit");
        long swapMax = swapMax(swap, limit);
        // 0 is "not set", except when memory+swap equals the limit: then it means "no swap".
        if (swapMax != 0 || swap > 0) add("memory", "memory.swap.max", max(swapMax), "memory.swap");
        if (m.reservation() != null && m.reservation() != 0) {
            add("memory", "memory.low", max(m.reservation()), "memory.reservation");
        }
        if (m.kernel() != null && m.kernel() != 0) {
            warnings.add(where + ".memory.kernel: kernel memory limits do not exist on cgroup v2 and are not applied");
        }
        if (m.kernelTcp() != null && m.kernelTcp() != 0) {
            throw error("memory.kernelTCP", "does not exist on cgroup v2");
        }
        if (m.swappiness() != null) throw error("memory.swappiness", "does not exist on cgroup v2");
        if (m.disableOomKiller()) throw error("memory.disableOOMKiller", "does not exist on cgroup v2");
    }

    /**
     * runc's ConvertMemorySwapToCgroupV2Value: v1's swap is memory+swap, v2's swap.max is swap
     * alone. -1 stays unlimited; no swap value with an unlimited memory means unlimited swap too.
     */
    long swapMax(long swap, long limit) {
        if (limit == -1 && swap == 0) return -1;
        if (swap == -1 || swap == 0) return swap;
        if (limit == 0 || limit == -1) throw error("memory.swap", "cannot be set without memory.limit");
        if (limit < 0) throw error("memory.limit", "must be -1 (no limit) or a number of bytes");
        if (swap < limit) {
            throw error("memory.swap", "memory+swap (" + swap + ") must not be less than memory.limit (" + limit + ")");
        }
        return swap - limit;
    }

    private void cpu(Resources.Cpu c) {
        if (c == null) return;
        if (c.shares() != null && c.shares() != 0) {
            add("cpu", "cpu.weight", Long.toString(cpuWeight(c.shares())), "cpu.shares");
        }
        long quota = c.quota() == null ? 0 : c.quota();
        long period = c.period() == null ? 0 : c.period();
        if (quota != 0 || period != 0) {
            // "max 100000": a quota of its own only when positive; the kernel keeps the other half when absent.
            String v = quota > 0 ? Long.toString(quota) : "max";
            if (period != 0) v += " " + Long.toUnsignedString(period);
            add("cpu", "cpu.max", v, quota != 0 ? "cpu.quota" : "cpu.period");
        }
        if (c.burst() != null) add("cpu", "cpu.max.burst", Long.toUnsignedString(c.burst()), "cpu.burst");
        if ((c.realtimeRuntime() != null && c.realtimeRuntime() != 0)
                || (c.realtimePeriod() != null && c.realtimePeriod() != 0)) {
            throw error(c.realtimeRuntime() != null && c.realtimeRuntime() != 0 ? "cpu.realtimeRuntime"
                    : "cpu.realtimePeriod", "real-time cpu limits do not exist on cgroup v2");
        }
        if (c.idle() != null) add("cpu", "cpu.idle", Long.toString(c.idle()), "cpu.idle");
        if (c.cpus() != null) add("cpuset", "cpuset.cpus", c.cpus(), "cpu.cpus");
        if (c.mems() != null) add("cpuset", "cpuset.mems", c.mems(), "cpu.mems");
    }

    /** runc's ConvertCPUSharesToCgroupV2Value: [2, 262144] onto [1, 10000], linearly. */
    static long cpuWeight(long shares) {
        if (shares == 0) return 0;
        return 1 + ((Math.max(2, Math.min(shares, 262144)) - 2) * 9999) / 262142;
    }

    /** runc's ConvertBlkIOToIOWeightValue: [10, 1000] onto [1, 10000]. */
    static long ioWeight(long blkio) {
        if (blkio == 0) return 0;
        return 1 + (blkio - 10) * 9999 / 990;
    }

    private void blockIo(Resources.BlockIo b) {
        if (b == null) return;
        if (b.weight() != null && b.weight() != 0) {
            String field = where + ".blockIO.weight";
            writes.add(new CgroupWrite("io", "io.bfq.weight", Integer.toString(b.weight()), field,
                    new CgroupWrite("io", "io.weight", Long.toString(ioWeight(b.weight())), field)));
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            throw error("blockIO.leafWeight", "does not exist on cgroup v2");
        }
        for (Resources.WeightDevice d : b.weightDevices()) {
            String dev = d.major() + ":" + d.minor() + " ";
            if (d.weight() != null && d.weight() != 0) {
                String field = where + ".blockIO.weightDevice";
                writes.add(new CgroupWrite("io", "io.bfq.weight", dev + d.weight(), field,
                        new CgroupWrite("io", "io.weight", dev + ioWeight(d.weight()), field)));
            }
            if (d.leafWeight() != null && d.leafWeight() != 0) {
                throw error("blockIO.weightDevice", "leafWeight does not exist on cgroup v2");
            }
        }
        throttle(b.readBps(), "rbps", "throttleReadBpsDevice");
        throttle(b.writeBps(), "wbps", "throttleWriteBpsDevice");
        throttle(b.readIops(), "riops", "throttleReadIOPSDevice");
        throttle(b.writeIops(), "wiops", "throttleWriteIOPSDevice");
    }

    private void throttle(List<Resources.ThrottleDevice> list, String key, String field) {
        for (Resources.ThrottleDevice d : list) {
            // A rate of 0 means "no limit" in v1; v2 spells that "max".
            String rate = d.rate() == 0 ? "max" : Long.toUnsignedString(d.rate());
            add("io", "io.max", d.major() + ":" + d.minor() + " " + key + "=" + rate, "blockIO." + field);
        }
    }

    private static String max(long v) {
        return v < 0 ? "max" : Long.toString(v);
    }

    private void add(String controller, String file, String value, String field) {
        writes.add(new CgroupWrite(controller, file, value, where + "." + field));
    }

    private BerthException error(String field, String what) {
        return BerthException.invalid(where + "." + field + ": " + what);
    }
}
