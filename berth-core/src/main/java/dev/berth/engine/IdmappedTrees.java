package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.plan.IdmapPlan;
import dev.berth.sys.IdmappedTree;
import dev.berth.sys.Sys;
import java.util.List;

/** Opens a container's idmapped trees once its user namespace has its id maps. */
final class IdmappedTrees {
    private IdmappedTrees() {}

    /** Descriptors of the trees, mapped to the user namespace of process {@code pid}; the caller closes them. */
    static int[] open(int pid, List<IdmapPlan.Tree> trees) {
        int[] fds = new int[trees.size()];
        if (fds.length == 0) return fds;
        int userns = Sys.openat("open the user namespace of process " + pid, "/proc/" + pid + "/ns/user",
                Sys.O_RDONLY | Sys.O_CLOEXEC, 0);
        int opened = 0;
        try {
            for (IdmapPlan.Tree t : trees) fds[opened++] = IdmappedTree.open(t.source(), t.recursive(), userns);
            return fds;
        } catch (BerthException e) {
            for (int i = 0; i < opened - 1; i++) Sys.close(fds[i]);
            throw e.within("idmapped mount of " + trees.get(opened - 1).source());
        } finally {
            Sys.close(userns);
        }
    }
}
