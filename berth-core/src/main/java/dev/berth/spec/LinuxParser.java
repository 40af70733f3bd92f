package dev.berth.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the linux section of config.json. */
final class LinuxParser {
    static final List<String> PROPAGATIONS = List.of("shared", "slave", "private", "unbindable",
            "rshared", "rslave", "rprivate", "runbindable");
    private static final Set<String> DEVICE_TYPES = Set.of("c", "b", "u", "p");

    LinuxSpec parse(Node l) {
        List<Namespace> namespaces = namespaces(l);
        List<IdMapping> uids = idMappings(l, "uidMappings");
        List<IdMapping> gids = idMappings(l, "gidMappings");
        Map<String, TimeOffset> offsets = timeOffsets(l.obj("timeOffsets"));
        List<Device> devices = new ArrayList<>();
        for (Node d : l.objs("devices")) devices.add(device(d));
        String cgroupsPath = SpecParser.emptyToNull(l.str("cgroupsPath"));
        Resources resources = ResourcesParser.parse(l.obj("resources"));
        String propagation = SpecParser.emptyToNull(l.str("rootfsPropagation"));
        if (propagation != null && !PROPAGATIONS.contains(propagation)) {
            throw l.error("rootfsPropagation", "unknown propagation \"" + propagation + "\" (expected one of "
                    + String.join(", ", PROPAGATIONS) + ")");
        }
        List<String> masked = absolutePaths(l, "maskedPaths");
        List<String> readonly = absolutePaths(l, "readonlyPaths");
        Map<String, String> sysctl = l.stringMap("sysctl");
        Node sc = l.obj("seccomp");
        Seccomp seccomp = sc == null ? null : new SeccompParser().parse(sc);
        Personality personality = personality(l.obj("personality"));
        String mountLabel = SpecParser.emptyToNull(l.str("mountLabel"));
        Map<String, Object> intelRdt = l.raw("intelRdt");
        Map<String, Object> netDevices = l.raw("netDevices");
        Map<String, Object> memoryPolicy = l.raw("memoryPolicy");
        l.finish();
        return new LinuxSpec(namespaces, uids, gids, offsets, devices, cgroupsPath, resources, propagation, masked,
                readonly, sysctl, seccomp, personality, mountLabel, intelRdt, netDevices, memoryPolicy);
    }

    private static List<Namespace> namespaces(Node l) {
        List<Namespace> list = new ArrayList<>();
        // A bit mask, not an EnumSet: EnumSet reads the constants reflectively, which costs
        // milliseconds of method-handle set-up at start-up.
        int seen = 0;
        for (Node n : l.objs("namespaces")) {
            String name = n.reqStr("type");
            NamespaceType type = NamespaceType.bySpecName(name);
            if (type == null) {
                throw n.error("type", "unknown namespace type \"" + name + "\" (expected one of "
                        + NamespaceType.names() + ")");
            }
            if ((seen & type.cloneFlag()) != 0) throw n.error("type", "duplicate namespace type \"" + name + "\"");
            seen |= type.cloneFlag();
            String path = SpecParser.emptyToNull(n.str("path"));
            if (path != null) {
                if (!path.startsWith("/")) throw n.error("path", "\"" + path + "\" must be an absolute path");
                // Checked here rather than when the helper opens it, to name the field in the error.
                if (!Files.exists(Path.of(path))) {
                    throw n.error("path", path + " does not exist");
                }
            }
            n.finish();
            list.add(new Namespace(type, path));
        }
        return list;
    }

    /** uidMappings or gidMappings of {@code parent} (linux or a mount); empty when absent. */
    static List<IdMapping> idMappings(Node parent, String key) {
        List<IdMapping> list = new ArrayList<>();
        for (Node m : parent.objs(key)) {
            IdMapping map = new IdMapping(m.u32("containerID", 0), m.u32("hostID", 0), m.u32("size", 0));
            if (map.size() == 0) throw m.error("size", "must be greater than 0");
            m.finish();
            list.add(map);
        }
        IdMappingRules.check(parent, key, list);
        return list;
    }

    private static Map<String, TimeOffset> timeOffsets(Node t) {
        Map<String, TimeOffset> offsets = new LinkedHashMap<>();
        if (t == null) return offsets;
        for (String clock : List.copyOf(t.keys())) {
            if (!clock.equals("monotonic") && !clock.equals("boottime")) {
                throw t.report().error(t.at(clock), "unknown clock (expected monotonic or boottime)");
            }
            Node o = t.obj(clock);
            if (o == null) continue;
            long secs = o.i64("secs", 0);
            long nanos = o.u32("nanosecs", 0);
            if (nanos >= 1_000_000_000L) throw o.error("nanosecs", "must be less than 1000000000");
            o.finish();
            offsets.put(clock, new TimeOffset(secs, nanos));
        }
        t.finish();
        return offsets;
    }

    private static Device device(Node d) {
        String type = d.reqStr("type");
        if (!DEVICE_TYPES.contains(type)) {
            throw d.error("type", "unknown device type \"" + type + "\" (expected c, b, u or p)");
        }
        String path = d.reqStr("path");
        if (!path.startsWith("/")) throw d.error("path", "\"" + path + "\" must be an absolute path");
        Long major = d.u32("major");
        Long minor = d.u32("minor");
        if (!type.equals("p")) {
            if (major == null) throw d.error("major", "is required for a device of type \"" + type + "\"");
            if (minor == null) throw d.error("minor", "is required for a device of type \"" + type + "\"");
        }
        Device dev = new Device(type, path, major == null ? 0 : major, minor == null ? 0 : minor,
                d.u32("fileMode"), d.u32("uid"), d.u32("gid"));
        d.finish();
        return dev;
    }

    private static List<String> absolutePaths(Node l, String key) {
        List<String> paths = l.strings(key);
        for (int i = 0; i < paths.size(); i++) {
            if (!paths.get(i).startsWith("/")) {
                throw l.report().error(l.at(key) + "[" + i + "]", "\"" + paths.get(i) + "\" must be an absolute path");
            }
        }
        return paths;
    }

    private static Personality personality(Node p) {
        if (p == null) return null;
        String domain = p.reqStr("domain");
        if (!domain.equals("LINUX") && !domain.equals("LINUX32")) {
            throw p.error("domain", "unknown domain \"" + domain + "\" (expected LINUX or LINUX32)");
        }
        Personality personality = new Personality(domain, p.strings("flags"));
        // config-linux.md: "Currently no flag values are supported."
        if (!personality.flags().isEmpty()) {
            throw p.error("flags", "\"" + personality.flags().get(0) + "\" is not supported (runtime-spec defines none)");
        }
        p.finish();
        return personality;
    }
}
