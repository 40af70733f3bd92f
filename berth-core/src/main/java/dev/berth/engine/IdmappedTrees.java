package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.plan.IdmapPlan;
import dev.berth.sys.IdmappedTree;
import dev.berth.sys.Sys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Opens a container's idmapped trees once its user namespace has its id maps. */
final class IdmappedTrees {
    private IdmappedTrees() {}

    /**
     * Descriptors of the trees, mapped to the container's user namespace ({@code containerUserns},
     * a path such as /proc/PID/ns/user, or the one the container joins) or, for a mount with
     * mappings of its own, to a throwaway user namespace per distinct mapping; the caller closes them.
     */
    static int[] open(String containerUserns, List<IdmapPlan.Tree> trees) {
        int[] fds = new int[trees.size()];
        if (fds.length == 0) return fds;
        Map<IdmapPlan.Mapping, Integer> namespaces = new LinkedHashMap<>();
        int opened = 0;
        try {
            for (IdmapPlan.Tree t : trees) {
                Integer userns = namespaces.get(t.mapping());
                if (userns == null) {
                    userns = t.mapping() == null
                            ? Sys.openat("open the container's user namespace " + containerUserns, containerUserns,
                                    Sys.O_RDONLY | Sys.O_CLOEXEC, 0)
                            : ThrowawayUserNamespace.open(t.mapping());
                    namespaces.put(t.mapping(), userns);
                }
                try {
                    fds[opened] = IdmappedTree.open(t.source(), t.submounts(), t.mapSubmounts(), userns);
                } catch (BerthException e) {
                    throw e.within("idmapped mount of " + t.source());
                }
                opened++;
            }
            return fds;
        } catch (BerthException e) {
            for (int i = 0; i < opened; i++) Sys.close(fds[i]);
            throw e;
        } finally {
            for (int userns : namespaces.values()) Sys.close(userns);
        }
    }
}
