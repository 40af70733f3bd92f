package dev.berth.plan;

import dev.berth.spec.Device;
import dev.berth.spec.LinuxSpec;
import dev.berth.spec.Mount;
import dev.berth.spec.MountOptions;
import dev.berth.spec.NamespaceType;
import java.util.ArrayList;
import java.util.List;

/**
 * Device nodes and the standard /dev symlinks (runc's createDevices, setupPtmx, setupDevSymlinks).
 * When config.json bind-mounts /dev, that /dev is used as it is, apart from linux.devices, which
 * are still created: the config asks for them explicitly.
 */
final class DevPlanner {
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    /** runc's AllowedDevices that have a path: the nodes every container gets. */
    private static final List<Device> DEFAULTS = List.of(
            node("/dev/null", 1, 3),
            node("/dev/random", 1, 8),
            node("/dev/full", 1, 7),
            node("/dev/tty", 5, 0),
            node("/dev/zero", 1, 5),
            node("/dev/urandom", 1, 9));

    private final PlanContext ctx;
    private final LinuxSpec linux;

    DevPlanner(PlanContext ctx, LinuxSpec linux) {
        this.ctx = ctx;
        this.linux = linux;
    }

    void write(MessageWriter w, List<Mount> mounts) {
        boolean setupDev = needsSetupDev(mounts);
        // mknod is refused in a user namespace; runc bind-mounts the host's node instead.
        boolean bind = linux.has(NamespaceType.USER) || !ctx.initialUserNamespace();
        for (Device d : devices(setupDev)) {
            // /dev/ptmx is the devpts instance's, linked below; a node would be the host's.
            if (MountPlanner.clean(d.path()).equals("/dev/ptmx")) continue;
            if (bind) {
                w.begin(Protocol.OP_BIND_DEVICE)
                        .str(Protocol.A_SOURCE, d.path())
                        .str(Protocol.A_TARGET, d.path())
                        .end();
            } else {
                w.begin(Protocol.OP_MKNOD)
                        .str(Protocol.A_TARGET, d.path())
                        .u32(Protocol.A_MODE, mode(d))
                        .u32(Protocol.A_MAJOR, d.major())
                        .u32(Protocol.A_MINOR, d.minor())
                        .u32(Protocol.A_UID, d.uid() == null ? 0 : d.uid())
                        .u32(Protocol.A_GID, d.gid() == null ? 0 : d.gid())
                        .end();
            }
        }
        if (!setupDev) return;
        symlink(w, "pts/ptmx", "/dev/ptmx");
        symlink(w, "/proc/self/fd", "/dev/fd");
        symlink(w, "/proc/self/fd/0", "/dev/stdin");
        symlink(w, "/proc/self/fd/1", "/dev/stdout");
        symlink(w, "/proc/self/fd/2", "/dev/stderr");
        // The kernel may be built without /proc/kcore; a dangling /dev/core would only confuse.
        if (ctx.procKcore()) symlink(w, "/proc/kcore", "/dev/core");
    }

    /** runc's needsSetupDev: berth fills /dev unless config.json bind-mounts one. */
    static boolean needsSetupDev(List<Mount> mounts) {
        for (Mount m : mounts) {
            boolean bind = MountOptions.parse(m.options()).isBind() || "bind".equals(m.type());
            if (bind && MountPlanner.clean(m.destination()).equals("/dev")) return false;
        }
        return true;
    }

    /** The defaults not overridden by a config device of the same path, then the config's devices. */
    private List<Device> devices(boolean withDefaults) {
        List<Device> all = new ArrayList<>();
        if (withDefaults) {
            for (Device d : DEFAULTS) {
                if (!configured(d.path())) all.add(d);
            }
        }
        all.addAll(linux.devices());
        return all;
    }

    private boolean configured(String path) {
        for (Device c : linux.devices()) {
            if (c.path().equals(path)) return true;
        }
        return false;
    }

    /** The file type bits and permissions for mknod; runc's default permissions are 0666. */
    static int mode(Device d) {
        int type = switch (d.type()) {
            case "b" -> S_IFBLK;
            case "p" -> S_IFIFO;
            default -> S_IFCHR; // "c" and "u" (unbuffered character device)
        };
        long perm = d.fileMode() == null ? 0666 : d.fileMode() & 07777;
        return type | (int) perm;
    }

    private static void symlink(MessageWriter w, String linkText, String target) {
        w.begin(Protocol.OP_SYMLINK).str(Protocol.A_SOURCE, linkText).str(Protocol.A_TARGET, target).end();
    }

    private static Device node(String path, long major, long minor) {
        return new Device("c", path, major, minor, 0666L, 0L, 0L);
    }
}
