package dev.berth.engine;

import dev.berth.api.CreateOptions;
import dev.berth.api.Log;
import dev.berth.cgroup.CgroupPath;
import dev.berth.cgroup.CgroupSettings;
import dev.berth.cgroup.Cgroups;
import dev.berth.cgroup.ContainerCgroup;
import dev.berth.cgroup.Delegation;
import dev.berth.cgroup.Hierarchy;
import dev.berth.hooks.HookRunner;
import dev.berth.plan.CgroupLayout;
import dev.berth.plan.IdmapPlan;
import dev.berth.plan.PlanBuilder;
import dev.berth.plan.PlanContext;
import dev.berth.plan.Protocol;
import dev.berth.spec.Hook;
import dev.berth.spec.IdMapping;
import dev.berth.spec.Mount;
import dev.berth.spec.ProcessOverrides;
import dev.berth.spec.Seccomp;
import dev.berth.spec.Spec;
import dev.berth.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bundle's config.json as create needs it: the validated spec, the cgroup directories the
 * container gets on this host, and the bootstrap plan for berth-init. Everything here is read or
 * computed before anything is created, so that bad input leaves nothing behind.
 */
final class BundleConfig {
    private final Spec spec;
    private final List<Path> cgroupDirs;
    private final ContainerCgroup cgroup;
    private final CgroupSettings limits;
    private final byte[] plan;

    private BundleConfig(Spec spec, List<Path> cgroupDirs, ContainerCgroup cgroup, CgroupSettings limits, byte[] plan) {
        this.spec = spec;
        this.cgroupDirs = cgroupDirs;
        this.cgroup = cgroup;
        this.limits = limits;
        this.plan = plan;
    }

    /** {@code notifyDir}: the directory of the container's notify socket, used with options.notifySocket(). */
    static BundleConfig load(Path bundle, String id, CreateOptions options, Path notifyDir, Log log) {
        Spec spec = withListenFds(SpecLoader.load(bundle), options.listenFds());
        if (options.notifySocket() != null) spec = withNotifySocket(spec, notifyDir);
        for (String w : spec.warnings()) log.warn(w);
        BundleConfig partial = new BundleConfig(spec, List.of(), null, null, null);
        IdMapWriter.check(partial.uidMappings(), partial.gidMappings());
        if (spec.linux().isNew(dev.berth.spec.NamespaceType.USER)) {
            RootfsReach.check(spec.root().path(), hostIdOfRoot(partial.uidMappings()),
                    hostIdOfRoot(partial.gidMappings()), partial.uidMappings());
        }
        if (!Rootness.isRealRoot() && !partial.idmappedTrees().isEmpty()) {
            throw dev.berth.api.BerthException.invalid("config.json: idmapped mounts need root: only the owner of "
                    + "the host's user namespace may map a host file system's ids, with the container's maps "
                    + "or a mount's own uidMappings/gidMappings alike");
        }
        boolean noPivot = options.noPivot();
        Cgroups host = Cgroups.host();
        boolean root = Rootness.isRealRoot();
        // runc's default for an empty cgroupsPath: a cgroup named after the container, below the
        // runtime's own cgroup in each hierarchy.
        String cgroupsPath = spec.linux().cgroupsPath();
        if (cgroupsPath == null || cgroupsPath.isEmpty()) cgroupsPath = id;
        cgroupsPath = CgroupPath.check(cgroupsPath);
        String containerPath = root ? cgroupsPath : rootlessCgroupPath(host, spec, cgroupsPath, log);
        List<Path> dirs = containerPath != null ? host.dirsFor(containerPath) : List.of();
        ContainerCgroup cgroup = ContainerCgroup.of(dirs, host.hierarchies());
        CgroupSettings limits = CgroupLimits.forCreate(spec, cgroup, root, log);
        CgroupLayout layout = layout(host, containerPath);
        int level = log.enabled(Log.Level.DEBUG) ? Protocol.LOG_DEBUG : Protocol.LOG_WARN;
        PlanContext ctx = PlanContext.forHost(spec.root().path(), spec.bundle(), noPivot, true, level, layout);
        List<String> warnings = new ArrayList<>();
        byte[] plan = PlanBuilder.build(spec, ctx, options.passedFds(), warnings);
        for (String w : warnings) log.warn(w);
        return new BundleConfig(spec, dirs, cgroup, limits, plan);
    }

    /**
     * A rootless container's cgroup: inside the cgroup v2 subtree delegated to the caller, or
     * none (null) when there is no such subtree, as runc without one.
     */
    private static String rootlessCgroupPath(Cgroups host, Spec spec, String cgroupsPath, Log log) {
        Hierarchy v2 = host.pureV2();
        String subtree = v2 == null ? null
                : Delegation.subtree(v2, host.ownPath(v2), Rootness.uid(), Delegation::ownerOf);
        if (subtree == null) {
            // One warning: when there are limits, CgroupLimits' says that there is no cgroup at all.
            boolean explicit = spec.linux().cgroupsPath() != null && !spec.linux().cgroupsPath().isEmpty();
            if (explicit && !CgroupLimits.hasLimits(spec.linux().resources())) {
                log.warn("config.json: linux.cgroupsPath: ignored, this unprivileged user has no cgroup v2 subtree"
                        + " delegated to it");
            }
            return null;
        }
        String placed = Delegation.place(subtree, cgroupsPath);
        if (placed == null) {
            log.warn("config.json: linux.cgroupsPath: " + cgroupsPath + " is outside the cgroup subtree delegated"
                    + " to this user (" + subtree + "): the container gets no cgroup");
        }
        return placed;
    }

    /**
     * runc's socket activation: the process gets LISTEN_FDS for the descriptors passed to it, and
     * LISTEN_PID=1 because it is meant to be the init of its PID namespace.
     */
    private static Spec withListenFds(Spec spec, int listenFds) {
        if (listenFds == 0 || spec.process() == null) return spec;
        List<String> env = ProcessOverrides.withEnv(spec.process().env(),
                List.of("LISTEN_FDS=" + listenFds, "LISTEN_PID=1"));
        return new Spec(spec.ociVersion(), spec.root(), spec.process().withEnv(env), spec.hostname(),
                spec.domainname(), spec.mounts(), spec.hooks(), spec.annotations(), spec.linux(), spec.bundle(),
                spec.warnings());
    }

    /** runc's notify socket: the container's own socket directory mounted at /run/notify. */
    private static Spec withNotifySocket(Spec spec, Path dir) {
        if (spec.process() == null) return spec;
        List<Mount> mounts = new ArrayList<>(spec.mounts());
        mounts.add(NotifyRelay.mount(dir));
        List<String> env = ProcessOverrides.withEnv(spec.process().env(),
                List.of("NOTIFY_SOCKET=" + NotifyRelay.SOCKET_IN_CONTAINER));
        return new Spec(spec.ociVersion(), spec.root(), spec.process().withEnv(env), spec.hostname(),
                spec.domainname(), mounts, spec.hooks(), spec.annotations(), spec.linux(), spec.bundle(),
                spec.warnings());
    }

    boolean terminal() {
        return spec.process() != null && spec.process().terminal();
    }

    /**
     * The hierarchies a "cgroup" mount shows. Without a cgroup of its own the container's
     * processes stay in berth's cgroup, so that is what the mount shows.
     */
    private static CgroupLayout layout(Cgroups host, String cgroupsPath) {
        boolean unified = false;
        List<CgroupLayout.Hierarchy> list = new ArrayList<>();
        for (Hierarchy h : host.hierarchies()) {
            if (h.unified()) unified = true;
            String abs = host.absolute(h, cgroupsPath != null ? cgroupsPath : ".");
            Path dir = h.dirOf(abs).normalize();
            String below = "/" + h.mountPoint().relativize(dir);
            list.add(new CgroupLayout.Hierarchy(h.controllers(), h.mountPoint(), below.equals("/") ? "/" : below));
        }
        // A hybrid host's unified mount carries no controllers; the container sees the v1 ones.
        if (unified && list.size() > 1) {
            unified = false;
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).name().isEmpty()) list.remove(i);
            }
        }
        return new CgroupLayout(unified, list);
    }

    String ociVersion() {
        return spec.ociVersion();
    }

    Path rootfs() {
        return spec.root().path();
    }

    Map<String, String> annotations() {
        return spec.annotations();
    }

    List<Path> cgroupDirs() {
        return cgroupDirs;
    }

    ContainerCgroup cgroup() {
        return cgroup;
    }

    /** The values linux.resources gives the container's cgroup files, in the order they are written. */
    CgroupSettings limits() {
        return limits;
    }

    /** linux.seccomp, or null. */
    Seccomp seccomp() {
        return spec.linux().seccomp();
    }

    byte[] plan() {
        return plan;
    }

    /** The hooks of one kind ("prestart") in the form the hook runner takes. */
    List<HookRunner.Hook> hooks(String kind) {
        List<HookRunner.Hook> out = new ArrayList<>();
        for (Hook h : spec.hooks().byName(kind)) {
            out.add(new HookRunner.Hook(h.path(), h.args(), h.env(), h.timeout() == null ? 0 : h.timeout()));
        }
        return out;
    }

    /** The host id container id 0 maps to, or -1 when it is not mapped. */
    private static long hostIdOfRoot(List<IdMapping> ranges) {
        for (IdMapping r : ranges) {
            if (r.containerId() == 0 && r.size() > 0) return r.hostId();
        }
        return -1;
    }

    /** Whether berth-init creates the container's user namespace, whose maps berth writes. */
    boolean newUserNamespace() {
        return spec.linux().isNew(dev.berth.spec.NamespaceType.USER);
    }

    /**
     * The path of the container's user namespace as seen from berth: the new one of berth-init
     * {@code pid}, or the one joined by path; null without one.
     */
    String containerUserNamespace(int pid) {
        dev.berth.spec.Namespace ns = spec.linux().namespace(dev.berth.spec.NamespaceType.USER);
        if (ns == null) return null;
        return ns.isNew() ? "/proc/" + pid + "/ns/user" : ns.path();
    }

    /** The trees to idmap, in the order of the plan's A_IDMAP indices. */
    List<IdmapPlan.Tree> idmappedTrees() {
        return IdmapPlan.of(spec).trees();
    }

    List<IdMapping> uidMappings() {
        return spec.linux().uidMappings();
    }

    List<IdMapping> gidMappings() {
        return spec.linux().gidMappings();
    }

}
