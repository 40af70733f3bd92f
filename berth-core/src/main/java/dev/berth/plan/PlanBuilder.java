package dev.berth.plan;

import static dev.berth.spec.MountFlags.*;

import dev.berth.api.BerthException;
import dev.berth.spec.Hook;
import dev.berth.spec.Hooks;
import dev.berth.spec.LinuxSpec;
import dev.berth.spec.Namespace;
import dev.berth.spec.ProcessSpec;
import dev.berth.spec.Spec;
import dev.berth.spec.SysctlRules;
import dev.berth.spec.TimeOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a validated spec into the MSG_BOOTSTRAP message berth-init executes (protocol.h). The
 * order of the OP_* operations is runc's: prepareRootfs (mounts, /dev, hooks, pivot), then
 * finalizeRootfs (read-only remounts), then the rest of the standard init (hostname, sysctls,
 * read-only and masked paths).
 */
public final class PlanBuilder {
    private static final int CLOCK_MONOTONIC = 1;
    private static final int CLOCK_BOOTTIME = 7;

    private PlanBuilder() {}

    public static byte[] build(Spec spec, PlanContext ctx) {
        return build(spec, ctx, 0, new ArrayList<>());
    }

    /** The plan; warnings found while computing it (unknown system calls) are added to {@code warnings}. */
    public static byte[] build(Spec spec, PlanContext ctx, List<String> warnings) {
        return build(spec, ctx, 0, warnings);
    }

    /** {@code passedFds}: descriptors from 3 up that the process gets (LISTEN_FDS, --preserve-fds). */
    public static byte[] build(Spec spec, PlanContext ctx, int passedFds, List<String> warnings) {
        ProcessSpec process = spec.process();
        if (process == null) throw BerthException.invalid("config.json: process: is required to create a container");
        LinuxSpec linux = spec.linux();
        long rootPropagation = rootPropagation(linux.rootfsPropagation());
        // runc's rule: after MS_MOVE without pivot_root, a private root could unmount the host's mounts.
        if (ctx.noPivot() && (rootPropagation & MS_PRIVATE) != 0) {
            throw BerthException.invalid("config.json: linux.rootfsPropagation: \"" + linux.rootfsPropagation()
                    + "\" is not safe without pivot_root (--no-pivot)");
        }

        MessageWriter w = new MessageWriter(Protocol.MSG_BOOTSTRAP);
        w.u32(Protocol.P_MODE, Protocol.HELPER_CREATE);
        w.str(Protocol.P_ROOTFS, ctx.rootfs().toString());
        w.u32(Protocol.P_LOG_LEVEL, ctx.logLevel());
        w.u32(Protocol.P_FIFO, ctx.waitFifo() ? 1 : 0);
        if (process.terminal()) w.u32(Protocol.P_CONSOLE, 1);
        if (passedFds > 0) w.u32(Protocol.P_PRESERVE_FDS, passedFds);
        namespaces(w, linux);
        timeOffsets(w, linux.timeOffsets());
        ProcessPlanner.write(w, process, linux, warnings);
        hooks(w, Protocol.HOOK_CREATE_CONTAINER, spec.hooks().createContainer());
        hooks(w, Protocol.HOOK_START_CONTAINER, spec.hooks().startContainer());

        // An unbindable old / would make the rootfs bind below fail; it is set on the new root.
        long before = rootPropagation == 0 || (rootPropagation & MS_UNBINDABLE) != 0 ? MS_SLAVE | MS_REC : rootPropagation;
        IdmapPlan idmaps = IdmapPlan.of(spec);
        w.begin(Protocol.OP_PREPARE_ROOT).u64(Protocol.A_PROPAGATION, before);
        if (idmaps.rootfsIndex() >= 0) w.u32(Protocol.A_IDMAP, idmaps.rootfsIndex());
        w.end();
        MountPlanner mounts = new MountPlanner(ctx, linux, idmaps);
        mounts.write(w, spec.mounts());
        new DevPlanner(ctx, linux).write(w, spec.mounts());
        if (hasEarlyHooks(spec.hooks())) w.begin(Protocol.OP_HOOKS).end();
        w.begin(ctx.noPivot() ? Protocol.OP_CHROOT : Protocol.OP_PIVOT_ROOT).end();
        // Private and slave were applied to / before the pivot and stay; shared and unbindable are
        // set only now, on the new root, so that they cannot reach the host's mount tree.
        if (rootPropagation != 0 && (rootPropagation & (MS_PRIVATE | MS_SLAVE)) == 0) {
            w.begin(Protocol.OP_ROOT_PROPAGATION).u64(Protocol.A_PROPAGATION, rootPropagation).end();
        }
        mounts.finalRemounts(w);
        if (spec.root().readonly()) w.begin(Protocol.OP_REMOUNT_ROOT_RO).end();
        if (spec.hostname() != null) w.begin(Protocol.OP_HOSTNAME).str(Protocol.A_VALUE, spec.hostname()).end();
        if (spec.domainname() != null) w.begin(Protocol.OP_DOMAINNAME).str(Protocol.A_VALUE, spec.domainname()).end();
        sysctls(w, linux.sysctl());
        for (String p : linux.readonlyPaths()) w.begin(Protocol.OP_READONLY_PATH).str(Protocol.A_TARGET, p).end();
        for (String p : linux.maskedPaths()) w.begin(Protocol.OP_MASK_PATH).str(Protocol.A_TARGET, p).end();
        return w.toBytes();
    }

    /** The MS_* flags of linux.rootfsPropagation, 0 when unset (runc's mountPropagationMapping). */
    static long rootPropagation(String name) {
        if (name == null) return 0;
        return switch (name) {
            case "private" -> MS_PRIVATE;
            case "rprivate" -> MS_PRIVATE | MS_REC;
            case "slave" -> MS_SLAVE;
            case "rslave" -> MS_SLAVE | MS_REC;
            case "shared" -> MS_SHARED;
            case "rshared" -> MS_SHARED | MS_REC;
            case "unbindable" -> MS_UNBINDABLE;
            case "runbindable" -> MS_UNBINDABLE | MS_REC;
            default -> throw new IllegalArgumentException("rootfsPropagation " + name);
        };
    }

    private static void namespaces(MessageWriter w, LinuxSpec linux) {
        int fresh = 0;
        for (Namespace ns : linux.namespaces()) {
            if (ns.isNew()) fresh |= ns.type().cloneFlag();
        }
        w.u32(Protocol.P_NEW_NS, fresh);
        for (Namespace ns : linux.namespaces()) {
            if (ns.isNew()) continue;
            w.begin(Protocol.P_JOIN_NS)
                    .u32(Protocol.A_NSTYPE, ns.type().cloneFlag())
                    .str(Protocol.A_PATH, ns.path())
                    .end();
        }
    }

    private static void timeOffsets(MessageWriter w, Map<String, TimeOffset> offsets) {
        for (Map.Entry<String, TimeOffset> e : offsets.entrySet()) {
            w.begin(Protocol.P_TIME_OFFSET)
                    .u32(Protocol.A_CLOCK, e.getKey().equals("boottime") ? CLOCK_BOOTTIME : CLOCK_MONOTONIC)
                    .u64(Protocol.A_OFFSET_SEC, e.getValue().secs())
                    .u32(Protocol.A_OFFSET_NSEC, e.getValue().nanosecs())
                    .end();
        }
    }

    private static void hooks(MessageWriter w, int kind, List<Hook> hooks) {
        for (Hook h : hooks) {
            w.begin(Protocol.P_HOOK).u32(Protocol.A_KIND, kind).str(Protocol.A_PATH, h.path());
            for (String a : h.args()) w.str(Protocol.A_ARG, a);
            for (String e : h.env()) w.str(Protocol.A_ENV, e);
            w.u32(Protocol.A_TIMEOUT, h.timeout() == null ? 0 : h.timeout());
            w.end();
        }
    }

    /**
     * OP_HOOKS is where the parent runs prestart and createRuntime and the init createContainer;
     * its acknowledgement also carries the state that startContainer hooks read later.
     */
    private static boolean hasEarlyHooks(Hooks h) {
        return !h.prestart().isEmpty() || !h.createRuntime().isEmpty() || !h.createContainer().isEmpty()
                || !h.startContainer().isEmpty();
    }

    /** Sorted by name, so that the same config always gives the same plan. */
    private static void sysctls(MessageWriter w, Map<String, String> sysctl) {
        for (Map.Entry<String, String> e : new TreeMap<>(sysctl).entrySet()) {
            w.begin(Protocol.OP_SYSCTL)
                    .str(Protocol.A_NAME, SysctlRules.dotted(e.getKey()))
                    .str(Protocol.A_VALUE, e.getValue())
                    .end();
        }
    }
}
