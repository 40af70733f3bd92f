package dev.berth.spec;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringTokenizer;

/**
 * The config.json that `berth spec` writes: runc's example spec (libcontainer/specconv/example.go)
 * with berth's name and runtime-spec version, and with --rootless runc's ToRootless conversion.
 * Keys are in the order runc prints them, so the two files compare line by line.
 */
public final class DefaultSpec {
    private static final List<String> CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    private DefaultSpec() {}

    /**
     * The spec for this host and caller: as runc, a cgroup namespace only on a cgroup v2 host,
     * and for --rootless the effective uid and gid of this process mapped to root.
     */
    public static Map<String, Object> json(boolean rootless) {
        long[] ids = rootless ? effectiveIds() : new long[] {0, 0};
        return json(rootless, ids[0], ids[1], Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")));
    }

    public static Map<String, Object> json(boolean rootless, long uid, long gid, boolean cgroupNamespace) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ociVersion", Features.OCI_VERSION_MAX);
        spec.put("process", process());
        spec.put("root", map("path", "rootfs", "readonly", true));
        spec.put("hostname", "berth");
        List<Object> mounts = mounts();
        Map<String, Object> linux = new LinkedHashMap<>();
        if (rootless) {
            linux.put("uidMappings", List.of(map("containerID", 0L, "hostID", uid, "size", 1L)));
            linux.put("gidMappings", List.of(map("containerID", 0L, "hostID", gid, "size", 1L)));
            mounts = rootlessMounts(mounts);
        } else {
            linux.put("resources", map("devices", List.of(map("allow", false, "access", "rwm"))));
        }
        spec.put("mounts", mounts);
        linux.put("namespaces", namespaces(rootless, cgroupNamespace));
        linux.put("maskedPaths", List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
                "/sys/firmware", "/proc/scsi"));
        linux.put("readonlyPaths", List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        spec.put("linux", linux);
        return spec;
    }

    private static Map<String, Object> process() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("terminal", true);
        p.put("user", map("uid", 0L, "gid", 0L));
        p.put("args", List.of("sh"));
        p.put("env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"));
        p.put("cwd", "/");
        p.put("capabilities", map("bounding", CAPS, "effective", CAPS, "permitted", CAPS));
        p.put("rlimits", List.of(map("type", "RLIMIT_NOFILE", "hard", 1024L, "soft", 1024L)));
        p.put("noNewPrivileges", true);
        return p;
    }

    private static List<Object> mounts() {
        List<Object> m = new ArrayList<>();
        m.add(mount("/proc", "proc", "proc", null));
        m.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        m.add(mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        m.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        m.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        m.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        m.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        return m;
    }

    /**
     * runc's ToRootless for mounts: sysfs cannot be mounted without owning the network namespace
     * (which a rootless container shares with the host), so /sys becomes a read-only recursive
     * bind of the host's; uid= and gid= options name ids the container cannot map, so they go.
     */
    @SuppressWarnings("unchecked")
    private static List<Object> rootlessMounts(List<Object> mounts) {
        List<Object> out = new ArrayList<>();
        for (Object o : mounts) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.get("destination").equals("/sys")) {
                out.add(mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
                continue;
            }
            List<String> options = (List<String>) m.get("options");
            if (options != null) {
                List<String> kept = new ArrayList<>();
                for (String opt : options) {
                    if (!opt.startsWith("uid=") && !opt.startsWith("gid=")) kept.add(opt);
                }
                m.put("options", kept);
            }
            out.add(m);
        }
        return out;
    }

    /** runc's order; rootless drops the network namespace and appends a user namespace. */
    private static List<Object> namespaces(boolean rootless, boolean cgroupNamespace) {
        List<Object> ns = new ArrayList<>();
        for (String t : List.of("pid", "network", "ipc", "uts", "mount")) {
            if (!(rootless && t.equals("network"))) ns.add(map("type", t));
        }
        if (cgroupNamespace) ns.add(map("type", "cgroup"));
        if (rootless) ns.add(map("type", "user"));
        return ns;
    }

    private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        if (options != null) m.put("options", options);
        return m;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** The effective uid and gid, from /proc/self/status ("Uid: real effective saved fs"). */
    private static long[] effectiveIds() {
        long[] ids = new long[2];
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) ids[0] = second(line.substring(4));
                if (line.startsWith("Gid:")) ids[1] = second(line.substring(4));
            }
        } catch (IOException | RuntimeException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "read /proc/self/status: " + e.getMessage());
        }
        return ids;
    }

    private static long second(String fields) {
        StringTokenizer t = new StringTokenizer(fields);
        t.nextToken();
        return Long.parseLong(t.nextToken());
    }
}
