package dev.berth.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringTokenizer;

/**
 * What the plan depends on besides config.json: the command's options and facts of the host.
 *
 * @param rootfs                absolute host path of the root file system (P_ROOTFS)
 * @param bundle                the bundle directory, against which relative bind sources resolve
 * @param noPivot               --no-pivot: MS_MOVE and chroot instead of pivot_root
 * @param waitFifo              true for create: the init waits on exec.fifo before execve
 * @param logLevel              the lowest Protocol.LOG_* the helper reports
 * @param cgroups               the hierarchies for "cgroup" mounts
 * @param initialUserNamespace  berth runs in the host's initial user namespace (real root or
 *                              a real unprivileged user), not in one made by e.g. rootless podman
 * @param procKcore             /proc/kcore exists on the host, so /dev/core may link to it
 */
public record PlanContext(Path rootfs, Path bundle, boolean noPivot, boolean waitFifo, int logLevel,
        CgroupLayout cgroups, boolean initialUserNamespace, boolean procKcore) {

    /** A context whose host facts are read from this host. */
    public static PlanContext forHost(Path rootfs, Path bundle, boolean noPivot, boolean waitFifo, int logLevel,
            CgroupLayout cgroups) {
        return new PlanContext(rootfs, bundle, noPivot, waitFifo, logLevel, cgroups, inInitialUserNamespace(),
                Files.exists(Path.of("/proc/kcore")));
    }

    /**
     * True when this process is in the initial user namespace, whose uid_map maps all 2^32-1 ids
     * onto themselves. The effective uid cannot tell: rootless podman calls runtimes as uid 0.
     */
    public static boolean inInitialUserNamespace() {
        try {
            // StringTokenizer rather than a regex, which would cost start-up time on every command.
            StringTokenizer t = new StringTokenizer(Files.readString(Path.of("/proc/self/uid_map")));
            return t.countTokens() == 3 && t.nextToken().equals("0") && t.nextToken().equals("0")
                    && t.nextToken().equals("4294967295");
        } catch (IOException e) {
            return true;
        }
    }
}
