package dev.berth.api;

import dev.berth.engine.CgroupOps;
import dev.berth.engine.ContainerOps;
import dev.berth.engine.Execution;
import dev.berth.engine.StatusReader;
import dev.berth.spec.Resources;
import dev.berth.state.StateStore;
import java.util.List;
import java.util.Map;

/** One container in a {@link Runtime}'s state directory. */
public final class Container {
    private final String id;
    private final StateStore store;
    private final Log log;

    Container(String id, StateStore store, Log log) {
        this.id = id;
        this.store = store;
        this.log = log;
    }

    public String id() {
        return id;
    }

    /** The current state; the status is read from the process, not cached. */
    public ContainerState state() {
        return StatusReader.state(store, store.read(id));
    }

    /** Runs the user process of a created container (runc start). */
    public void start() {
        new ContainerOps(store, log).start(id);
    }

    /**
     * start for a container created with {@link CreateOptions#notifySocket()}: relays its READY=1
     * to {@code notifySocket} and returns once it is ready (or its init is gone), as runc's start.
     */
    public void start(java.nio.file.Path notifySocket) {
        new ContainerOps(store, log).start(id, notifySocket);
    }

    /** Sends a signal to the init, or with {@code all} to every process of the container. */
    public void kill(int signal, boolean all) {
        new ContainerOps(store, log).kill(id, signal, all);
    }

    /** Freezes every process of a running container (runc pause); its status becomes "paused". */
    public void pause() {
        new CgroupOps(store, log).pause(id);
    }

    /** Thaws a paused container (runc resume). */
    public void resume() {
        new CgroupOps(store, log).resume(id);
    }

    /** Writes new resource limits into the container's cgroup (runc update); {@code where} names them in errors. */
    public void update(Resources resources, String where) {
        new CgroupOps(store, log).update(id, resources, where);
    }

    /** The host PIDs of every process of the container (runc ps). */
    public List<Integer> processes() {
        return new CgroupOps(store, log).processes(id);
    }

    /** The cgroup statistics in the shape of runc's events --stats "data". */
    public Map<String, Object> stats() {
        return new CgroupOps(store, log).stats(id);
    }

    /** How many of the container's processes the OOM killer has killed so far. */
    public long oomKills() {
        return new CgroupOps(store, log).oomKills(id);
    }

    /**
     * Runs another process in the container (runc exec): its exit status (128+N when killed by
     * signal N), or 0 as soon as it runs with {@link ExecOptions#detach()}.
     */
    public int exec(ExecOptions options) {
        return new Execution(store, log).exec(id, options);
    }

    /**
     * Deletes a stopped or created container; a running one only with {@code force}
     * (it is killed first). Runs poststop hooks, removes cgroups and state.
     */
    public void delete(boolean force) {
        new ContainerOps(store, log).delete(id, force);
    }
}
