package dev.berth.plan;

import java.nio.file.Path;
import java.util.List;

/**
 * The cgroup hierarchies a "cgroup" mount of the container shows, filled by the cgroup code.
 *
 * @param unified      true on a cgroup v2 host (one hierarchy, mounted as cgroup2)
 * @param hierarchies  v1: one entry per mounted hierarchy; v2: the one unified hierarchy
 */
public record CgroupLayout(boolean unified, List<Hierarchy> hierarchies) {

    /** No cgroups: a "cgroup" mount of a v1 layout then is an empty tmpfs. */
    public static final CgroupLayout NONE = new CgroupLayout(false, List.of());

    public CgroupLayout {
        hierarchies = List.copyOf(hierarchies);
    }

    /**
     * One hierarchy.
     *
     * @param name            its controllers as mounted ("cpu,cpuacct", "memory", "name=systemd")
     * @param hostMountPoint  where the host mounts it (/sys/fs/cgroup/cpu,cpuacct)
     * @param containerPath   the container's cgroup below that mount point ("/berth/c1"); for a
     *                        container without its own cgroup, berth's own cgroup there, which is
     *                        where the container's processes are
     */
    public record Hierarchy(String name, Path hostMountPoint, String containerPath) {
        /** The container's cgroup directory as the host sees it. */
        public Path hostDir() {
            String rel = containerPath.startsWith("/") ? containerPath.substring(1) : containerPath;
            return rel.isEmpty() ? hostMountPoint : hostMountPoint.resolve(rel);
        }

        /** The directory name below the container's cgroup mount, as runc names it. */
        public String dirName() {
            return hostMountPoint.getFileName().toString();
        }
    }
}
