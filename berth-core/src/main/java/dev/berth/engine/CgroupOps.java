package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.api.Log;
import dev.berth.api.Status;
import dev.berth.cgroup.CgroupStats;
import dev.berth.cgroup.Cgroups;
import dev.berth.cgroup.ContainerCgroup;
import dev.berth.cgroup.Freezer;
import dev.berth.spec.Resources;
import dev.berth.state.ContainerRecord;
import dev.berth.state.StateStore;
import java.util.List;
import java.util.Map;

/** pause, resume, update, ps and events of an existing container: the operations on its cgroup. */
public final class CgroupOps {
    private final StateStore store;
    private final Log log;

    public CgroupOps(StateStore store, Log log) {
        this.store = store;
        this.log = log;
    }

    /** The container's cgroup on this host, from the directories recorded at create. */
    static ContainerCgroup cgroupOf(ContainerRecord r) {
        return ContainerCgroup.of(r.cgroupDirs(), Cgroups.host().hierarchies());
    }

    /** runc pause: a running (or created) container's processes are frozen. */
    public void pause(String id) {
        try (AutoCloseable lock = store.lock(id)) {
            ContainerRecord r = store.read(id);
            Status s = StatusReader.status(store, r);
            if (s != Status.RUNNING && s != Status.CREATED) {
                throw new BerthException(BerthException.Kind.STATE, "container not running");
            }
            Freezer.freeze(owned(r, "pause"));
        } catch (BerthException e) {
            throw e.within("pause " + id);
        } catch (Exception e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "pause " + id + ": " + e, 0, e);
        }
    }

    /** runc resume: a paused container runs on. */
    public void resume(String id) {
        try (AutoCloseable lock = store.lock(id)) {
            ContainerRecord r = store.read(id);
            if (StatusReader.status(store, r) != Status.PAUSED) {
                throw new BerthException(BerthException.Kind.STATE, "container not paused");
            }
            Freezer.thaw(owned(r, "resume"));
        } catch (BerthException e) {
            throw e.within("resume " + id);
        } catch (Exception e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "resume " + id + ": " + e, 0, e);
        }
    }

    /**
     * runc update: writes the given resources into the container's cgroup. {@code where} names
     * the source in errors ("resources", or the flags' names).
     */
    public void update(String id, Resources r, String where) {
        try (AutoCloseable lock = store.lock(id)) {
            ContainerRecord rec = store.read(id);
            if (StatusReader.status(store, rec) == Status.STOPPED) {
                throw new BerthException(BerthException.Kind.STATE, "container not running");
            }
            ContainerCgroup cg = owned(rec, "update");
            cg.checkMemoryBeforeUpdate(r, where);
            cg.apply(CgroupLimits.forUpdate(r, cg, where, log));
        } catch (BerthException e) {
            throw e.within("update " + id);
        } catch (Exception e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "update " + id + ": " + e, 0, e);
        }
    }

    /** Every PID in the container's cgroup (runc ps). */
    public List<Integer> processes(String id) {
        return StatusReader.processes(store.read(id));
    }

    /** The cgroup statistics of events --stats, in runc's shape. */
    public Map<String, Object> stats(String id) {
        return CgroupStats.read(cgroupOf(store.read(id)));
    }

    /** How many processes of the container the kernel's OOM killer has killed so far. */
    public long oomKills(String id) {
        return CgroupStats.oomKills(cgroupOf(store.read(id)));
    }

    /** Thaws a frozen container so that SIGKILL can take effect; errors are only logged. */
    static void thawIfFrozen(ContainerRecord r) {
        if (r.cgroupDirs().isEmpty()) return;
        try {
            ContainerCgroup cg = cgroupOf(r);
            if (cg.frozen()) Freezer.thaw(cg);
        } catch (RuntimeException ignored) {
            // the kill goes on; a frozen process dies when the cgroup is thawed or removed
        }
    }

    private static ContainerCgroup owned(ContainerRecord r, String what) {
        ContainerCgroup cg = cgroupOf(r);
        if (!cg.exists()) {
            throw new BerthException(BerthException.Kind.STATE, "cannot " + what
                    + " a container without a cgroup of its own (rootless containers have none here)");
        }
        return cg;
    }
}
