package dev.berth.spec;

import java.util.List;

/**
 * What the kernel accepts as a uid_map or gid_map (user_namespaces(7)), checked while config.json
 * is read so that a bad map is named by its field instead of failing as EINVAL from a write to
 * /proc/PID/uid_map half-way through create. The same rules hold for linux.uidMappings and for a
 * mount's own uidMappings, which berth writes into a user namespace of their own.
 */
final class IdMappingRules {
    /** The kernel's limit on the lines of one map. */
    static final int MAX_LINES = 340;
    /** An id range must end below 2^32 - 1: (uid_t) -1 is no id. */
    private static final long ID_END = 0xffff_ffffL;

    private IdMappingRules() {}

    /** Refuses {@code maps}, read from {@code parent}'s {@code key}, when the kernel would. */
    static void check(Node parent, String key, List<IdMapping> maps) {
        if (maps.size() > MAX_LINES) {
            throw parent.error(key, maps.size() + " mappings; the kernel takes at most " + MAX_LINES);
        }
        for (int i = 0; i < maps.size(); i++) {
            IdMapping m = maps.get(i);
            String at = key + "[" + i + "]";
            if (m.containerId() + m.size() > ID_END) {
                throw parent.error(at, "containerID + size must not exceed " + ID_END);
            }
            if (m.hostId() + m.size() > ID_END) throw parent.error(at, "hostID + size must not exceed " + ID_END);
            for (int j = 0; j < i; j++) {
                IdMapping o = maps.get(j);
                if (overlap(m.containerId(), o.containerId(), m.size(), o.size())) {
                    throw parent.error(at, "containerID range " + range(m.containerId(), m.size()) + " overlaps "
                            + key + "[" + j + "]");
                }
                if (overlap(m.hostId(), o.hostId(), m.size(), o.size())) {
                    throw parent.error(at, "hostID range " + range(m.hostId(), m.size()) + " overlaps "
                            + key + "[" + j + "]");
                }
            }
        }
    }

    private static boolean overlap(long a, long b, long sizeA, long sizeB) {
        return a < b + sizeB && b < a + sizeA;
    }

    private static String range(long first, long size) {
        return first + "-" + (first + size - 1);
    }
}
