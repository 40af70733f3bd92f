package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.api.Log;
import dev.berth.api.Status;
import dev.berth.cgroup.Cgroups;
import dev.berth.hooks.HookRunner;
import dev.berth.state.ContainerRecord;
import dev.berth.state.StateStore;
import dev.berth.sys.ProcessInfo;
import dev.berth.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** start, kill and delete of an existing container, each under the container's lock. */
public final class ContainerOps {
    private static final int SIGKILL = 9;

    private final StateStore store;
    private final Log log;

    public ContainerOps(StateStore store, Log log) {
        this.store = store;
        this.log = log;
    }

    /**
     * start, relaying the container's READY=1 to {@code notifySocket} when the container was
     * created with one: returns once the container is ready (or its init is gone), as runc's.
     */
    public void start(String id, java.nio.file.Path notifySocket) {
        java.nio.file.Path dir = store.dir(id).resolve(NotifyRelay.DIR);
        if (notifySocket == null || !Files.isDirectory(dir)) {
            start(id);
            return;
        }
        // Bound before the process runs, so that no early READY=1 is lost.
        try (NotifyRelay relay = NotifyRelay.bind(dir, notifySocket)) {
            start(id);
            ContainerRecord r = store.read(id);
            relay.relay(r.pid(), r.pidStart());
        }
    }

    public void start(String id) {
        try (AutoCloseable lock = store.lock(id)) {
            ContainerRecord r = store.read(id);
            Status s = StatusReader.status(store, r);
            if (s != Status.CREATED) {
                throw new BerthException(BerthException.Kind.STATE, switch (s) {
                    case STOPPED -> "cannot start a container that has stopped";
                    case RUNNING, PAUSED -> "cannot start an already running container";
                    default -> "cannot start a container in the " + s.json() + " state";
                });
            }
            ExecFifo.release(store.fifo(id), r);
            try {
                HookRunner.runAll("poststart", HookState.stored(r, "poststart"),
                        HookState.json(r, Status.RUNNING, r.pid()));
            } catch (BerthException e) {
                // The runtime-spec: a failed poststart hook is a warning; the container runs on.
                log.warn(e.getMessage());
            }
        } catch (BerthException e) {
            throw e.within("start " + id);
        } catch (Exception e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "start " + id + ": " + e, 0, e);
        }
    }

    public void kill(String id, int signal, boolean all) {
        try (AutoCloseable lock = store.lock(id)) {
            ContainerRecord r = store.read(id);
            Status s = StatusReader.status(store, r);
            if (s == Status.STOPPED || s == Status.CREATING) {
                throw new BerthException(BerthException.Kind.STATE, "container not running");
            }
            if (all) {
                for (int pid : StatusReader.processes(r)) Sys.signal(pid, 0, signal);
            } else if (!Sys.signal(r.pid(), r.pidStart(), signal)) {
                throw new BerthException(BerthException.Kind.STATE, "container not running");
            }
        } catch (BerthException e) {
            throw e.within("kill " + id);
        } catch (Exception e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "kill " + id + ": " + e, 0, e);
        }
    }

    public void delete(String id, boolean force) {
        try (AutoCloseable lock = store.lock(id)) {
            ContainerRecord r = store.read(id);
            Status s = StatusReader.status(store, r);
            switch (s) {
                case STOPPED -> { }
                case CREATED -> stopAll(r);
                case CREATING, RUNNING, PAUSED -> {
                    if (!force) {
                        throw new BerthException(BerthException.Kind.STATE,
                                "cannot delete container " + id + " that is not stopped: " + s.json()
                                        + " (use --force)");
                    }
                    stopAll(r);
                }
            }
            destroy(r);
        } catch (BerthException e) {
            throw e.within("delete " + id);
        } catch (Exception e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "delete " + id + ": " + e, 0, e);
        }
    }

    /** Removes what is left of a stopped container, then runs its poststop hooks. */
    void destroy(ContainerRecord r) {
        stopAll(r);
        Cgroups.remove(r.cgroupDirs());
        store.remove(r.id());
        try {
            HookRunner.runAll("poststop", HookState.stored(r, "poststop"), HookState.json(r, Status.STOPPED, 0));
        } catch (BerthException e) {
            log.warn(e.getMessage());
        }
    }

    /** SIGKILL to the init and everything in the cgroup, then wait until they are gone. */
    static void stopAll(ContainerRecord r) {
        if (r.pid() != 0) Sys.signal(r.pid(), r.pidStart(), SIGKILL);
        // A frozen process cannot die: thaw a paused container after the SIGKILL is pending.
        CgroupOps.thawIfFrozen(r);
        for (int round = 0; round < 2000; round++) {
            List<Integer> pids = Cgroups.pids(r.cgroupDirs());
            for (int pid : pids) Sys.signal(pid, 0, SIGKILL);
            boolean initGone = r.pid() == 0 || !ProcessInfo.isAlive(r.pid(), r.pidStart());
            if (pids.isEmpty() && initGone) return;
            sleep(round < 50 ? 1 : 10);
        }
        throw new BerthException(BerthException.Kind.SYSTEM, "processes of " + r.id() + " did not die after SIGKILL");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteQuietly(java.nio.file.Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort during cleanup
        }
    }
}
