package dev.berth.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads linux.resources (and the resources file of {@code update -r}, which has the same shape).
 * Only the JSON types and the ranges the runtime-spec gives are checked here; whether the host's
 * cgroups can take a value is the cgroup code's business, with the same field names in its errors.
 */
public final class ResourcesParser {
    private ResourcesParser() {}

    /** A resources file on its own ({@code update -r FILE}); errors are prefixed with {@code source}. */
    public static Resources parseFile(Map<String, Object> json, String source) {
        return parse(Node.root(json, new Report(source)));
    }

    static Resources parse(Node r) {
        if (r == null) return Resources.NONE;
        Resources.Memory memory = memory(r.obj("memory"));
        Resources.Cpu cpu = cpu(r.obj("cpu"));
        Long pids = null;
        Node p = r.obj("pids");
        if (p != null) {
            pids = p.i64("limit", 0);
            p.finish();
        }
        Resources.BlockIo blockIo = blockIo(r.obj("blockIO"));
        List<Resources.HugepageLimit> hugepages = new ArrayList<>();
        for (Node h : r.objs("hugepageLimits")) {
            String size = h.reqStr("pageSize");
            if (!isPageSize(size)) throw h.error("pageSize", "\"" + size + "\" is not a page size such as 2MB or 1GB");
            hugepages.add(new Resources.HugepageLimit(size, h.u64("limit", 0)));
            h.finish();
        }
        Resources.Network network = network(r.obj("network"));
        Map<String, Resources.Rdma> rdma = new LinkedHashMap<>();
        Node rd = r.obj("rdma");
        if (rd != null) {
            for (String dev : List.copyOf(rd.keys())) {
                Node d = rd.obj(dev);
                if (d == null) continue;
                rdma.put(dev, new Resources.Rdma(d.u32("hcaHandles"), d.u32("hcaObjects")));
                d.finish();
            }
            rd.finish();
        }
        Map<String, String> unified = r.stringMap("unified");
        for (String key : unified.keySet()) {
            if (key.indexOf('/') >= 0 || key.indexOf('.') <= 0 || key.equals("..")) {
                throw r.report().error(Node.entry(r.at("unified"), key),
                        "must be the name of a cgroup file such as memory.high");
            }
        }
        List<Resources.DeviceRule> devices = new ArrayList<>();
        for (Node d : r.objs("devices")) devices.add(device(d));
        r.finish();
        return new Resources(memory, cpu, pids, blockIo, hugepages, network, rdma, unified, devices);
    }

    private static Resources.Memory memory(Node m) {
        if (m == null) return null;
        Long swappiness = optU64(m, "swappiness");
        // runc: memory.swappiness takes 0 to 100; anything else is a mistake, not a request.
        if (swappiness != null && (swappiness < 0 || swappiness > 100)) {
            throw m.error("swappiness", "must be from 0 to 100");
        }
        Boolean useHierarchy = m.has("useHierarchy") ? m.bool("useHierarchy") : null;
        Resources.Memory mem = new Resources.Memory(optI64(m, "limit"), optI64(m, "reservation"),
                optI64(m, "swap"), optI64(m, "kernel"), optI64(m, "kernelTCP"), swappiness,
                m.bool("disableOOMKiller"), useHierarchy, m.bool("checkBeforeUpdate"));
        m.finish();
        return mem;
    }

    private static Resources.Cpu cpu(Node c) {
        if (c == null) return null;
        Long idle = optI64(c, "idle");
        if (idle != null && idle != 0 && idle != 1) throw c.error("idle", "must be 0 or 1");
        Resources.Cpu cpu = new Resources.Cpu(optU64(c, "shares"), optI64(c, "quota"), optU64(c, "burst"),
                optU64(c, "period"), optI64(c, "realtimeRuntime"), optU64(c, "realtimePeriod"),
                SpecParser.emptyToNull(c.str("cpus")), SpecParser.emptyToNull(c.str("mems")), idle);
        c.finish();
        return cpu;
    }

    private static Resources.BlockIo blockIo(Node b) {
        if (b == null) return null;
        Integer weight = u16(b, "weight");
        Integer leaf = u16(b, "leafWeight");
        List<Resources.WeightDevice> weights = new ArrayList<>();
        for (Node d : b.objs("weightDevice")) {
            weights.add(new Resources.WeightDevice(d.i64("major", 0), d.i64("minor", 0), u16(d, "weight"),
                    u16(d, "leafWeight")));
            d.finish();
        }
        Resources.BlockIo io = new Resources.BlockIo(weight, leaf, weights, throttle(b, "throttleReadBpsDevice"),
                throttle(b, "throttleWriteBpsDevice"), throttle(b, "throttleReadIOPSDevice"),
                throttle(b, "throttleWriteIOPSDevice"));
        b.finish();
        return io;
    }

    private static List<Resources.ThrottleDevice> throttle(Node b, String key) {
        List<Resources.ThrottleDevice> list = new ArrayList<>();
        for (Node d : b.objs(key)) {
            list.add(new Resources.ThrottleDevice(d.i64("major", 0), d.i64("minor", 0), d.u64("rate", 0)));
            d.finish();
        }
        return list;
    }

    private static Resources.Network network(Node n) {
        if (n == null) return null;
        Long classId = n.u32("classID");
        Map<String, Long> prios = new LinkedHashMap<>();
        for (Node p : n.objs("priorities")) {
            String name = p.reqStr("name");
            if (name.isEmpty() || name.indexOf(' ') >= 0) throw p.error("name", "must be a network interface name");
            prios.put(name, p.u32("priority", 0));
            p.finish();
        }
        n.finish();
        return new Resources.Network(classId, prios);
    }

    private static Resources.DeviceRule device(Node d) {
        if (!d.has("allow")) throw d.error("allow", "is required");
        boolean allow = d.bool("allow");
        String type = d.str("type");
        char t;
        if (type == null || type.isEmpty() || type.equals("a")) t = 'a';
        else if (type.equals("c") || type.equals("b")) t = type.charAt(0);
        else throw d.error("type", "unknown device type \"" + type + "\" (expected a, c or b)");
        long major = d.has("major") ? d.i64("major", -1) : -1;
        long minor = d.has("minor") ? d.i64("minor", -1) : -1;
        if (major < -1) throw d.error("major", "must be -1 (any) or a device number");
        if (minor < -1) throw d.error("minor", "must be -1 (any) or a device number");
        String access = d.str("access");
        if (access == null || access.isEmpty()) access = "rwm";
        for (int i = 0; i < access.length(); i++) {
            char c = access.charAt(i);
            if ((c != 'r' && c != 'w' && c != 'm') || access.indexOf(c) != i) {
                throw d.error("access", "\"" + access + "\" must be made of r, w and m, each at most once");
            }
        }
        d.finish();
        // An "all devices" rule ignores the numbers, as the kernel does.
        if (t == 'a') return new Resources.DeviceRule(allow, 'a', -1, -1, access);
        return new Resources.DeviceRule(allow, t, major, minor, access);
    }

    /** "2MB", "1GB", "64KB": digits and a unit, as the hugetlb file names have them. */
    static boolean isPageSize(String s) {
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        if (i == 0) return false;
        String unit = s.substring(i);
        return unit.equals("KB") || unit.equals("MB") || unit.equals("GB") || unit.equals("TB");
    }

    private static Long optI64(Node n, String key) {
        return n.has(key) ? n.i64(key, 0) : null;
    }

    private static Long optU64(Node n, String key) {
        return n.has(key) ? n.u64(key, 0) : null;
    }

    private static Integer u16(Node n, String key) {
        Long v = n.u32(key);
        if (v == null) return null;
        if (v > 65535) throw n.error(key, "must be an integer from 0 to 65535");
        return (int) (long) v;
    }
}
