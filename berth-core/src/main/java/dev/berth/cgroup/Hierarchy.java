package dev.berth.cgroup;

import java.nio.file.Path;

/**
 * One mounted cgroup hierarchy of the host.
 *
 * @param controllers "memory", "cpu,cpuacct", "name=systemd"; empty for the unified (v2) one
 * @param mountPoint where it is mounted, e.g. /sys/fs/cgroup/memory
 * @param mountRoot the cgroup path the mount shows at its top, "/" unless berth runs in a cgroup namespace
 * @param unified whether this is cgroup v2
 */
public record Hierarchy(String controllers, Path mountPoint, String mountRoot, boolean unified) {

    /** The directory of cgroup {@code path} (absolute within the hierarchy) on this mount. */
    public Path dirOf(String path) {
        String rel = path;
        if (!"/".equals(mountRoot) && rel.startsWith(mountRoot)) rel = rel.substring(mountRoot.length());
        while (rel.startsWith("/")) rel = rel.substring(1);
        return rel.isEmpty() ? mountPoint : mountPoint.resolve(rel);
    }

    /** The name a v1 hierarchy's directory has under /sys/fs/cgroup, e.g. "cpu,cpuacct". */
    public String dirName() {
        return mountPoint.getFileName().toString();
    }
}
