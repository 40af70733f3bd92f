package dev.berth.state;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What berth keeps about one container in {@code <root>/<id>/state.json}.
 *
 * @param pid the init's host PID, 0 until it is known
 * @param pidStart the init's start time (clock ticks), so a reused PID is never mistaken for it
 * @param creatorPid the berth process that is creating it; status "creating" while it lives
 * @param cgroupDirs every cgroup directory made for it, removed by delete
 * @param hooks the config's poststart and poststop hooks, as raw JSON, run by start and delete
 */
public record ContainerRecord(
        String id,
        String ociVersion,
        Path bundle,
        Path rootfs,
        Instant created,
        int pid,
        long pidStart,
        int creatorPid,
        long creatorStart,
        Map<String, String> annotations,
        List<Path> cgroupDirs,
        Map<String, Object> hooks) {

    public ContainerRecord withPid(int newPid, long newStart) {
        return new ContainerRecord(id, ociVersion, bundle, rootfs, created, newPid, newStart, creatorPid,
                creatorStart, annotations, cgroupDirs, hooks);
    }

    public ContainerRecord withoutCreator() {
        return new ContainerRecord(id, ociVersion, bundle, rootfs, created, pid, pidStart, 0, 0, annotations,
                cgroupDirs, hooks);
    }
}
