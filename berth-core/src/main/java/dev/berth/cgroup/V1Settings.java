package dev.berth.cgroup;

import dev.berth.api.BerthException;
import dev.berth.spec.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * linux.resources as cgroup v1 file writes, one controller directory each. Zero means "not set"
 * where runc reads it so (memory limit, shares, quota, period, pids limit, weights); the devices
 * rules are only written when {@code deviceRules} is not null (create, not update).
 */
public final class V1Settings {
    private final String where;
    private final List<CgroupWrite> writes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private V1Settings(String where) {
        this.where = where;
    }

    /**
     * @param where the field path prefix of the resources in messages, e.g. "config.json: linux.resources"
     */
    public static CgroupSettings of(Resources r, List<Resources.DeviceRule> deviceRules, String where) {
        V1Settings s = new V1Settings(where);
        s.memory(r.memory());
        s.cpu(r.cpu());
        if (r.pidsLimit() != null && r.pidsLimit() != 0) {
            s.add("pids", "pids.max", r.pidsLimit() < 0 ? "max" : Long.toString(r.pidsLimit()), "pids.limit");
        }
        s.blockIo(r.blockIo());
        for (Resources.HugepageLimit h : r.hugepageLimits()) {
            s.add("hugetlb", "hugetlb." + h.pageSize() + ".limit_in_bytes", Long.toUnsignedString(h.limit()),
                    "hugepageLimits");
        }
        s.network(r.network());
        for (Map.Entry<String, Resources.Rdma> e : r.rdma().entrySet()) {
            String v = Rdma.line(e.getKey(), e.getValue());
            if (v != null) s.add("rdma", "rdma.max", v, "rdma");
        }
        if (!r.unified().isEmpty()) {
            throw s.error("unified", "needs cgroup v2, and this host's controllers are on cgroup v1");
        }
        if (deviceRules != null) {
            for (Resources.DeviceRule d : deviceRules) {
                s.add("devices", d.allow() ? "devices.allow" : "devices.deny", d.v1(), "devices");
            }
        }
        return new CgroupSettings(s.writes, s.warnings);
    }

    private void memory(Resources.Memory m) {
        if (m == null) return;
        long limit = m.limit() == null ? 0 : m.limit();
        long swap = m.swap() == null ? 0 : m.swap();
        if (limit > 0 && swap > 0 && swap < limit) {
            throw error("memory.swap", "memory+swap (" + swap + ") must not be less than memory.limit (" + limit + ")");
        }
        if (limit != 0) add("memory", "memory.limit_in_bytes", Long.toString(limit), "memory.limit");
        if (swap != 0) {
            add("memory", "memory.memsw.limit_in_bytes", Long.toString(swap), "memory.swap");
        } else if (limit == -1) {
            // As runc: no memory limit and no swap value means no memory+swap limit either (the
            // kernel refuses a memory limit above the memory+swap one), where swap is accounted.
            writes.add(new CgroupWrite("memory", "memory.memsw.limit_in_bytes", "-1", where + ".memory.limit", null, true));
        }
        if (m.reservation() != null && m.reservation() != 0) {
            add("memory", "memory.soft_limit_in_bytes", Long.toString(m.reservation()), "memory.reservation");
        }
        if (m.kernel() != null && m.kernel() != 0) {
            // As runc 1.2: kernel memory limits are gone from recent kernels (and never worked well).
            warnings.add(where + ".memory.kernel: kernel memory limits are deprecated and not applied");
        }
        if (m.kernelTcp() != null && m.kernelTcp() != 0) {
            add("memory", "memory.kmem.tcp.limit_in_bytes", Long.toString(m.kernelTcp()), "memory.kernelTCP");
        }
        if (m.swappiness() != null) add("memory", "memory.swappiness", Long.toString(m.swappiness()), "memory.swappiness");
        if (m.disableOomKiller()) add("memory", "memory.oom_control", "1", "memory.disableOOMKiller");
        if (Boolean.TRUE.equals(m.useHierarchy())) add("memory", "memory.use_hierarchy", "1", "memory.useHierarchy");
    }

    private void cpu(Resources.Cpu c) {
        if (c == null) return;
        if (c.shares() != null && c.shares() != 0) add("cpu", "cpu.shares", Long.toUnsignedString(c.shares()), "cpu.shares");
        if (c.period() != null && c.period() != 0) {
            add("cpu", "cpu.cfs_period_us", Long.toUnsignedString(c.period()), "cpu.period");
        }
        if (c.quota() != null && c.quota() != 0) add("cpu", "cpu.cfs_quota_us", Long.toString(c.quota()), "cpu.quota");
        if (c.burst() != null) add("cpu", "cpu.cfs_burst_us", Long.toUnsignedString(c.burst()), "cpu.burst");
        if (c.realtimePeriod() != null && c.realtimePeriod() != 0) {
            add("cpu", "cpu.rt_period_us", Long.toUnsignedString(c.realtimePeriod()), "cpu.realtimePeriod");
        }
        if (c.realtimeRuntime() != null && c.realtimeRuntime() != 0) {
            add("cpu", "cpu.rt_runtime_us", Long.toString(c.realtimeRuntime()), "cpu.realtimeRuntime");
        }
        if (c.idle() != null) add("cpu", "cpu.idle", Long.toString(c.idle()), "cpu.idle");
        if (c.cpus() != null) add("cpuset", "cpuset.cpus", c.cpus(), "cpu.cpus");
        if (c.mems() != null) add("cpuset", "cpuset.mems", c.mems(), "cpu.mems");
    }

    private void blockIo(Resources.BlockIo b) {
        if (b == null) return;
        if (b.weight() != null && b.weight() != 0) {
            String w = Integer.toString(b.weight());
            add(new CgroupWrite("blkio", "blkio.weight", w, where + ".blockIO.weight",
                    new CgroupWrite("blkio", "blkio.bfq.weight", w, where + ".blockIO.weight")));
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            add("blkio", "blkio.leaf_weight", Integer.toString(b.leafWeight()), "blockIO.leafWeight");
        }
        for (Resources.WeightDevice d : b.weightDevices()) {
            String dev = d.major() + ":" + d.minor() + " ";
            if (d.weight() != null && d.weight() != 0) {
                String v = dev + d.weight();
                add(new CgroupWrite("blkio", "blkio.weight_device", v, where + ".blockIO.weightDevice",
                        new CgroupWrite("blkio", "blkio.bfq.weight_device", v, where + ".blockIO.weightDevice")));
            }
            if (d.leafWeight() != null && d.leafWeight() != 0) {
                add("blkio", "blkio.leaf_weight_device", dev + d.leafWeight(), "blockIO.weightDevice");
            }
        }
        throttle(b.readBps(), "blkio.throttle.read_bps_device", "throttleReadBpsDevice");
        throttle(b.writeBps(), "blkio.throttle.write_bps_device", "throttleWriteBpsDevice");
        throttle(b.readIops(), "blkio.throttle.read_iops_device", "throttleReadIOPSDevice");
        throttle(b.writeIops(), "blkio.throttle.write_iops_device", "throttleWriteIOPSDevice");
    }

    private void throttle(List<Resources.ThrottleDevice> list, String file, String key) {
        for (Resources.ThrottleDevice d : list) {
            add("blkio", file, d.major() + ":" + d.minor() + " " + Long.toUnsignedString(d.rate()), "blockIO." + key);
        }
    }

    private void network(Resources.Network n) {
        if (n == null) return;
        if (n.classId() != null && n.classId() != 0) {
            add("net_cls", "net_cls.classid", Long.toString(n.classId()), "network.classID");
        }
        for (Map.Entry<String, Long> e : n.priorities().entrySet()) {
            add("net_prio", "net_prio.ifpriomap", e.getKey() + " " + e.getValue(), "network.priorities");
        }
    }

    private void add(String controller, String file, String value, String field) {
        writes.add(new CgroupWrite(controller, file, value, where + "." + field));
    }

    private void add(CgroupWrite w) {
        writes.add(w);
    }

    private BerthException error(String field, String what) {
        return BerthException.invalid(where + "." + field + ": " + what);
    }
}
