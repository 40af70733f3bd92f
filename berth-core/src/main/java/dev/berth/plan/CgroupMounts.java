package dev.berth.plan;

import static dev.berth.spec.MountFlags.*;

import dev.berth.spec.MountOptions;
import java.util.List;

/**
 * A mount of type "cgroup", as runc does it (rootfs_linux.go mountCgroupV1/V2).
 *
 * <p>cgroup v2: a cgroup2 mount, which needs a cgroup namespace or the rights of the host's user
 * namespace; otherwise a bind of the host's unified hierarchy, where runc falls back on EPERM.
 * Where the container's /sys is a bind of the host's (rootless containers), the destination is
 * the root of the host's cgroup2 mount, and the kernel refuses a new mount of the same file
 * system there (EBUSY): then the container's own cgroup directory is bound instead, which shows
 * what a cgroup namespace would (runc falls back the same way on EBUSY).
 *
 * <p>cgroup v1: a tmpfs on the destination holding one directory per hierarchy. With a cgroup
 * namespace each is a fresh cgroup mount of that hierarchy (which shows the namespace's root);
 * without, a bind of the container's own cgroup directory, so the container sees its cgroup and
 * nothing above it. Combined hierarchies get a symlink per controller (cpu -> cpu,cpuacct).
 */
final class CgroupMounts {
    /** The flags runc gives the tmpfs and the per-hierarchy mounts. */
    private static final long DEFAULT_FLAGS = MS_NOEXEC | MS_NOSUID | MS_NODEV;

    private final CgroupLayout layout;
    private final boolean cgroupNamespace;
    private final boolean inUserNamespace;
    private final boolean sysFromHost;

    /** {@code sysFromHost}: the container's /sys is a recursive bind of the host's. */
    CgroupMounts(CgroupLayout layout, boolean cgroupNamespace, boolean inUserNamespace, boolean sysFromHost) {
        this.layout = layout;
        this.cgroupNamespace = cgroupNamespace;
        this.inUserNamespace = inUserNamespace;
        this.sysFromHost = sysFromHost;
    }

    void write(MessageWriter w, String source, String target, MountOptions options) {
        // runc applies the mount's propagation to these mounts, but not its recursive attributes.
        MountOptions o = new MountOptions(options.flags(), options.clearedFlags(), options.propagation(), 0, 0,
                options.data(), null);
        if (layout.unified()) {
            unified(w, source, target, o);
        } else {
            v1(w, target, o);
        }
    }

    private void unified(MessageWriter w, String source, String target, MountOptions o) {
        if (onTheHostsMount(target)) {
            CgroupLayout.Hierarchy h = layout.hierarchies().getFirst();
            String own = (cgroupNamespace ? h.hostDir() : h.hostMountPoint()).toString();
            MountPlanner.writeMount(w, own, target, "bind", o.flags() | MS_BIND, "", o, Protocol.TARGET_DIR);
        } else if (cgroupNamespace || !inUserNamespace || layout.hierarchies().isEmpty()) {
            String src = source == null || source.isEmpty() ? "cgroup" : source;
            MountPlanner.writeMount(w, src, target, "cgroup2", o.flags(), o.data(), o, Protocol.TARGET_DIR);
        } else {
            String host = layout.hierarchies().getFirst().hostMountPoint().toString();
            MountPlanner.writeMount(w, host, target, "bind", o.flags() | MS_BIND, "", o,
                    Protocol.TARGET_DIR);
        }
    }

    /** Whether {@code target} is where the host's cgroup2 mount shows through a bound /sys. */
    private boolean onTheHostsMount(String target) {
        return sysFromHost && !layout.hierarchies().isEmpty()
                && layout.hierarchies().getFirst().hostMountPoint().toString().equals(target);
    }

    private void v1(MessageWriter w, String target, MountOptions o) {
        MountPlanner.writeMount(w, "tmpfs", target, "tmpfs", DEFAULT_FLAGS, "mode=755", o, Protocol.TARGET_DIR);
        MountOptions plain = new MountOptions(0, 0, List.of(), 0, 0, "", null);
        for (CgroupLayout.Hierarchy h : layout.hierarchies()) {
            String dir = join(target, h.dirName());
            if (cgroupNamespace) {
                long flags = DEFAULT_FLAGS | (o.flags() & MS_RDONLY);
                // A named hierarchy is mounted by its name ("name=systemd"); runc's source is then the name.
                String src = h.name().startsWith("name=") ? h.name().substring(5) : "cgroup";
                MountPlanner.writeMount(w, src, dir, "cgroup", flags, h.name(), plain, Protocol.TARGET_DIR);
            } else {
                MountPlanner.writeMount(w, h.hostDir().toString(), dir, "bind", o.flags() | MS_BIND | MS_REC, "",
                        o, Protocol.TARGET_DIR);
            }
        }
        for (CgroupLayout.Hierarchy h : layout.hierarchies()) {
            String dir = h.dirName();
            if (!dir.contains(",")) continue;
            for (String controller : List.of(dir.split(","))) {
                w.begin(Protocol.OP_SYMLINK)
                        .str(Protocol.A_SOURCE, dir)
                        .str(Protocol.A_TARGET, join(target, controller))
                        .end();
            }
        }
    }

    private static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
