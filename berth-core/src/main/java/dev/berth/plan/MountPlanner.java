package dev.berth.plan;

import static dev.berth.spec.MountFlags.*;

import dev.berth.spec.LinuxSpec;
import dev.berth.spec.Mount;
import dev.berth.spec.MountOptions;
import dev.berth.spec.NamespaceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OP_MOUNTs for config.json's mounts, in config order, as runc's mountToRootfs performs
 * them. A tmpfs (or a file system on /dev) asked to be read-only is mounted writable, because
 * /dev setup and hooks still write to it, and made read-only after the pivot where runc's
 * finalizeRootfs does it: {@link #finalRemounts} writes those operations.
 */
final class MountPlanner {
    private final PlanContext ctx;
    private final LinuxSpec linux;
    private final boolean inUserNamespace;
    private final List<String> readOnlyLater = new ArrayList<>();

    private final IdmapPlan idmaps;

    MountPlanner(PlanContext ctx, LinuxSpec linux, IdmapPlan idmaps) {
        this.ctx = ctx;
        this.idmaps = idmaps;
        this.linux = linux;
        this.inUserNamespace = linux.has(NamespaceType.USER) || !ctx.initialUserNamespace();
    }

    void write(MessageWriter w, List<Mount> mounts) {
        CgroupMounts cgroups = new CgroupMounts(ctx.cgroups(), linux.has(NamespaceType.CGROUP), inUserNamespace,
                sysFromHost(mounts));
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            MountOptions o = MountOptions.parse(m.options());
            String target = clean(m.destination());
            boolean bind = o.isBind() || "bind".equals(m.type());
            if (!bind && "cgroup".equals(m.type())) {
                cgroups.write(w, m.source(), target, o);
            } else if (!bind && "sysfs".equals(m.type()) && sysfsNeedsBind()) {
                bindHost(w, "/sys", target, o);
            } else if (!bind && "mqueue".equals(m.type()) && mqueueNeedsBind()) {
                bindHost(w, "/dev/mqueue", target, o);
            } else if (bind) {
                Path source = ctx.bundle().resolve(m.source());
                op(w, source.toString(), target, "bind", o.flags() | MS_BIND, "", o, idmaps.mountIndex(i));
            } else {
                String source = m.source() == null || m.source().isEmpty() ? m.type() : m.source();
                op(w, source, target, m.type(), o.flags(), o.data(), o, -1);
            }
        }
    }

    /**
     * The read-only remounts of runc's finalizeRootfs. runc remounts with MS_BIND|MS_REMOUNT, which
     * changes only that mount's flags; an OP_MOUNT would bind first, and a plain MS_REMOUNT would
     * change the superblock, which a devtmpfs shares with the host. OP_READONLY_PATH puts a
     * read-only bind of the mount on top of it, which is read-only in the same way.
     */
    void finalRemounts(MessageWriter w) {
        for (String target : readOnlyLater) {
            w.begin(Protocol.OP_READONLY_PATH).str(Protocol.A_TARGET, target).end();
        }
    }

    private void op(MessageWriter w, String source, String target, String fstype, long flags, String data,
            MountOptions o, int idmap) {
        // A bind is made read-only by its own remount right away, as runc's bind case does.
        boolean bind = (flags & MS_BIND) != 0;
        if (!bind && (flags & MS_RDONLY) != 0 && ("tmpfs".equals(fstype) || target.equals("/dev"))) {
            readOnlyLater.add(target);
            flags &= ~MS_RDONLY;
        }
        int kind = bind && Files.exists(Path.of(source)) && !Files.isDirectory(Path.of(source))
                ? Protocol.TARGET_FILE : Protocol.TARGET_DIR;
        writeMount(w, source, target, fstype, flags, data, o, kind, idmap);
    }

    /** One OP_MOUNT; the optional attributes only when they say something. */
    static void writeMount(MessageWriter w, String source, String target, String fstype, long flags, String data,
            MountOptions o, int kind) {
        writeMount(w, source, target, fstype, flags, data, o, kind, -1);
    }

    /** {@code idmap}: the index of the idmapped tree berth-init moves there instead of binding, or -1. */
    static void writeMount(MessageWriter w, String source, String target, String fstype, long flags, String data,
            MountOptions o, int kind, int idmap) {
        w.begin(Protocol.OP_MOUNT)
                .str(Protocol.A_SOURCE, source)
                .str(Protocol.A_TARGET, target)
                .str(Protocol.A_FSTYPE, fstype)
                .u64(Protocol.A_FLAGS, flags);
        if (!data.isEmpty()) w.str(Protocol.A_DATA, data);
        // runc applies each propagation option in turn; only the last one decides the result.
        if (!o.propagation().isEmpty()) w.u64(Protocol.A_PROPAGATION, o.propagation().getLast());
        if (o.attrSet() != 0) w.u64(Protocol.A_ATTR_SET, o.attrSet());
        if (o.attrClr() != 0) w.u64(Protocol.A_ATTR_CLR, o.attrClr());
        if (idmap >= 0) w.u32(Protocol.A_IDMAP, idmap);
        w.u32(Protocol.A_KIND, kind).end();
    }

    /**
     * sysfs can only be mounted by the user namespace owning the network namespace. The bind of
     * the host's /sys, with the mount's flags, replaces it where that owner cannot be the
     * container's: a container in a user namespace that keeps berth's network namespace (owned
     * by the host's or the caller's user namespace), and a container with a new user namespace
     * that joins an existing network namespace (which a namespace created after it cannot own).
     * A network namespace joined together with a joined user namespace may well be owned by it
     * (CRI-O, podman), and gets the sysfs mount.
     */
    private boolean sysfsNeedsBind() {
        return cannotOwn(NamespaceType.NETWORK);
    }

    /** Whether the container's /sys is the host's: a bind of /sys, or a sysfs mount that becomes one. */
    private boolean sysFromHost(List<Mount> mounts) {
        boolean from = false;
        for (Mount m : mounts) {
            if (!clean(m.destination()).equals("/sys")) continue;
            MountOptions o = MountOptions.parse(m.options());
            boolean bind = o.isBind() || "bind".equals(m.type());
            from = bind ? "/sys".equals(m.source()) : "sysfs".equals(m.type()) && sysfsNeedsBind();
        }
        return from;
    }

    /** The same for mqueue and the IPC namespace. */
    private boolean mqueueNeedsBind() {
        return cannotOwn(NamespaceType.IPC);
    }

    private boolean cannotOwn(NamespaceType type) {
        return linux.namespace(type) == null ? inUserNamespace : linux.joinedOutsideNewUserNamespace(type);
    }

    private void bindHost(MessageWriter w, String hostPath, String target, MountOptions o) {
        op(w, hostPath, target, "bind", o.flags() | MS_BIND | MS_REC, "", o, -1);
    }

    /** The lexically cleaned destination, as runc compares it ("/dev/" is "/dev"). */
    static String clean(String destination) {
        String s = Path.of(destination).normalize().toString();
        return s.isEmpty() ? "/" : s;
    }
}
