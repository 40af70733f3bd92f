package dev.berth.engine;

import dev.berth.api.ContainerState;
import dev.berth.api.Status;
import dev.berth.cgroup.Cgroups;
import dev.berth.state.ContainerRecord;
import dev.berth.state.StateStore;
import dev.berth.sys.ProcessInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Works out a container's status from its processes, never from a cached word. */
public final class StatusReader {
    private StatusReader() {}

    public static Status status(StateStore store, ContainerRecord r) {
        if (r.pid() == 0 || !ProcessInfo.isAlive(r.pid(), r.pidStart())) {
            if (r.creatorPid() != 0 && ProcessInfo.isAlive(r.creatorPid(), r.creatorStart())) return Status.CREATING;
            return Status.STOPPED;
        }
        if (r.creatorPid() != 0 && ProcessInfo.isAlive(r.creatorPid(), r.creatorStart())) return Status.CREATING;
        // As runc: a frozen container is "paused", even one that was paused before start.
        if (frozen(r.cgroupDirs())) return Status.PAUSED;
        if (Files.exists(store.fifo(r.id()))) return Status.CREATED;
        return Status.RUNNING;
    }

    public static ContainerState state(StateStore store, ContainerRecord r) {
        Status s = status(store, r);
        int pid = s == Status.STOPPED ? 0 : r.pid();
        return new ContainerState(r.ociVersion(), r.id(), s, pid, r.bundle(), r.rootfs(), r.created(),
                owner(store.dir(r.id())), r.annotations());
    }

    /**
     * v1's freezer.state wherever there is one; only without any, v2's cgroup.freeze (a hybrid
     * host's controller-less unified directory has a cgroup.freeze that pause never writes).
     */
    private static boolean frozen(List<Path> dirs) {
        try {
            for (Path d : dirs) {
                Path f = d.resolve("freezer.state");
                if (Files.exists(f)) return Files.readString(f).trim().equals("FROZEN");
            }
            for (Path d : dirs) {
                Path v2 = d.resolve("cgroup.freeze");
                if (Files.exists(v2)) return Files.readString(v2).trim().equals("1");
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }

    private static String owner(Path dir) {
        try {
            return Files.getOwner(dir).getName();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** The PIDs of every process of the container: its cgroup's, or just the init without one. */
    static List<Integer> processes(ContainerRecord r) {
        List<Integer> pids = Cgroups.pids(r.cgroupDirs());
        if (pids.isEmpty() && r.pid() != 0 && ProcessInfo.isAlive(r.pid(), r.pidStart())) return List.of(r.pid());
        return pids;
    }
}
