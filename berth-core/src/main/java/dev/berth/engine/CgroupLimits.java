package dev.berth.engine;

import dev.berth.api.Log;
import dev.berth.cgroup.CgroupSettings;
import dev.berth.cgroup.ContainerCgroup;
import dev.berth.cgroup.DeviceRules;
import dev.berth.cgroup.V1Settings;
import dev.berth.cgroup.V2Settings;
import dev.berth.spec.Resources;
import dev.berth.spec.Spec;
import java.util.List;

/** Turns linux.resources into the cgroup writes of create, or of update. */
final class CgroupLimits {
    private static final String CONFIG = "config.json: linux.resources";

    private CgroupLimits() {}

    /**
     * The writes for a new container; computed before anything is made, so that a value this
     * host cannot take fails create with nothing left behind.
     */
    static CgroupSettings forCreate(Spec spec, ContainerCgroup cgroup, boolean root, Log log) {
        Resources r = spec.linux().resources();
        if (!cgroup.exists()) {
            // runc without a cgroup for a rootless container: nothing to limit; say so once.
            if (hasLimits(r)) {
                log.warn(CONFIG + " is not applied and the container gets no cgroup: this unprivileged user has"
                        + " no cgroup v2 subtree delegated to it");
            }
            return new CgroupSettings(List.of(), List.of());
        }
        CgroupSettings s;
        if (cgroup.unified()) {
            // A rootless container gets no device program: loading one needs CAP_SYS_ADMIN, and its
            // user namespace already keeps it from opening device nodes it could not open outside.
            List<Resources.DeviceRule> rules = root ? DeviceRules.of(r.devices(), spec.linux().devices()) : null;
            s = V2Settings.of(r, rules, CONFIG);
        } else {
            List<Resources.DeviceRule> rules = cgroup.dir("devices") == null ? null
                    : DeviceRules.of(r.devices(), spec.linux().devices());
            s = V1Settings.of(r, rules, CONFIG);
        }
        for (String w : s.warnings()) log.warn(w);
        return s;
    }

    /** The writes of {@code update}: only what the resources name; device rules are left as they are. */
    static CgroupSettings forUpdate(Resources r, ContainerCgroup cgroup, String where, Log log) {
        CgroupSettings s = cgroup.unified() ? V2Settings.of(r, where) : V1Settings.of(r, null, where);
        for (String w : s.warnings()) log.warn(w);
        // The device rules are fixed at create.
        if (!r.devices().isEmpty()) log.warn(where + ".devices: device rules are not changed by update");
        return s;
    }

    /** Anything beyond runc's default "deny every device" rule, which a rootless config may keep. */
    static boolean hasLimits(Resources r) {
        if (r.isEmpty()) return false;
        if (r.memory() != null || r.cpu() != null || r.pidsLimit() != null || r.blockIo() != null
                || !r.hugepageLimits().isEmpty() || r.network() != null || !r.rdma().isEmpty()
                || !r.unified().isEmpty()) {
            return true;
        }
        for (Resources.DeviceRule d : r.devices()) {
            if (d.allow() || d.type() != 'a') return true;
        }
        return false;
    }
}
