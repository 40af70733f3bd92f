package dev.berth.plan;

import dev.berth.api.BerthException;
import dev.berth.spec.LinuxSpec;
import dev.berth.spec.Mount;
import dev.berth.spec.MountOptions;
import dev.berth.spec.NamespaceType;
import dev.berth.spec.Spec;
import java.util.ArrayList;
import java.util.List;

/**
 * The idmapped mounts of a container: the trees berth clones with open_tree(2) and maps with
 * mount_setattr(MOUNT_ATTR_IDMAP) to the container's user namespace once its id maps exist, and
 * sends to berth-init with the MAP_IDS acknowledgement; A_IDMAP in the plan is a tree's index.
 * A file owned by id N on disk then shows as N inside, whatever host id the container's N is, so
 * an image owned by the host's root needs no chown -R for a container in a user namespace.
 */
public final class IdmapPlan {
    /** Annotation that idmaps the root file system itself. */
    public static final String ROOTFS_ANNOTATION = "dev.berth.rootfs.idmap";

    /** One tree to clone: its host path, and whether submounts come along (rbind, ridmap). */
    public record Tree(String source, boolean recursive) {}

    private final List<Tree> trees = new ArrayList<>();
    private final int[] mountIndex;
    private int rootfsIndex = -1;

    private IdmapPlan(int mounts) {
        mountIndex = new int[mounts];
        java.util.Arrays.fill(mountIndex, -1);
    }

    /** The trees of {@code spec}; refuses idmapped mounts a container cannot have. */
    public static IdmapPlan of(Spec spec) {
        IdmapPlan plan = new IdmapPlan(spec.mounts().size());
        LinuxSpec linux = spec.linux();
        String annotation = spec.annotations().get(ROOTFS_ANNOTATION);
        if ("true".equals(annotation)) {
            requireNewUserNamespace(linux, "annotations." + ROOTFS_ANNOTATION);
            plan.rootfsIndex = plan.add(new Tree(spec.root().path().toString(), false));
        } else if (annotation != null && !annotation.equals("false")) {
            throw BerthException.invalid("config.json: annotations." + ROOTFS_ANNOTATION + ": \"" + annotation
                    + "\" must be \"true\" or \"false\"");
        }
        for (int i = 0; i < spec.mounts().size(); i++) {
            Mount m = spec.mounts().get(i);
            int kind = MountOptions.idmap(m.options());
            boolean mapped = !m.uidMappings().isEmpty() || !m.gidMappings().isEmpty();
            if (kind == 0 && !mapped) continue;
            String field = "config.json: mounts[" + i + "]";
            MountOptions o = MountOptions.parse(m.options());
            if (!o.isBind() && !"bind".equals(m.type())) {
                throw BerthException.invalid(field + ": an idmapped mount must be a bind mount");
            }
            requireNewUserNamespace(linux, "mounts[" + i + "]");
            if (mapped && (!m.uidMappings().equals(linux.uidMappings()) || !m.gidMappings().equals(linux.gidMappings()))) {
                throw BerthException.invalid(field + ".uidMappings: mappings other than the container's "
                        + "linux.uidMappings/gidMappings are not supported by this berth version");
            }
            boolean recursive = kind == 2 || (kind == 0 && (o.flags() & dev.berth.spec.MountFlags.MS_REC) != 0);
            plan.mountIndex[i] = plan.add(new Tree(spec.bundle().resolve(m.source()).toString(), recursive));
        }
        return plan;
    }

    private static void requireNewUserNamespace(LinuxSpec linux, String field) {
        if (!linux.isNew(NamespaceType.USER)) {
            throw BerthException.invalid("config.json: " + field + ": an idmapped mount needs a new user namespace "
                    + "(linux.namespaces with type \"user\" and linux.uidMappings)");
        }
    }

    private int add(Tree t) {
        trees.add(t);
        return trees.size() - 1;
    }

    public List<Tree> trees() {
        return List.copyOf(trees);
    }

    /** The tree index of the root file system, or -1. */
    int rootfsIndex() {
        return rootfsIndex;
    }

    /** The tree index of mounts[i], or -1 when it is not idmapped. */
    int mountIndex(int i) {
        return mountIndex[i];
    }
}
