package dev.berth.plan;

import dev.berth.api.BerthException;
import dev.berth.spec.IdMapping;
import dev.berth.spec.LinuxSpec;
import dev.berth.spec.Mount;
import dev.berth.spec.MountFlags;
import dev.berth.spec.MountOptions;
import dev.berth.spec.NamespaceType;
import dev.berth.spec.Spec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The idmapped mounts of a container: the trees berth clones with open_tree(2) and maps with
 * mount_setattr(MOUNT_ATTR_IDMAP) once the container's id maps exist, and sends to berth-init
 * with the MAP_IDS acknowledgement; A_IDMAP in the plan is a tree's index.
 *
 * <p>A tree is mapped through a user namespace. Without mappings of its own (the {@code idmap}
 * option alone, or the rootfs annotation) that is the container's, new or joined: a file owned by id N on disk
 * shows as N inside, whatever host id the container's N is, so an image owned by the host's root
 * needs no chown -R. A mount's own uidMappings/gidMappings (runtime-spec config.md: "the mapping
 * to convert UIDs from the source file system to the destination mount point", in the format of
 * user namespace mappings) get a user namespace that carries exactly them: on-disk id
 * containerID + k is host id hostID + k through the mount, and the container sees that host id
 * through its own maps.
 */
public final class IdmapPlan {
    /** Annotation that idmaps the root file system itself. */
    public static final String ROOTFS_ANNOTATION = "dev.berth.rootfs.idmap";

    /** A mount's own uidMappings and gidMappings: the maps of the user namespace its tree is mapped through. */
    public record Mapping(List<IdMapping> uids, List<IdMapping> gids) {
        public Mapping {
            uids = List.copyOf(uids);
            gids = List.copyOf(gids);
        }
    }

    /**
     * One tree to clone: its host path; whether its submounts come along (rbind); whether they
     * are idmapped too (ridmap); and the mapping, or null for the container's user namespace.
     */
    public record Tree(String source, boolean submounts, boolean mapSubmounts, Mapping mapping) {}

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
            requireUserNamespace(linux, "annotations." + ROOTFS_ANNOTATION);
            plan.rootfsIndex = plan.add(new Tree(spec.root().path().toString(), false, false, null));
        } else if (annotation != null && !annotation.equals("false")) {
            throw BerthException.invalid("config.json: annotations." + ROOTFS_ANNOTATION + ": \"" + annotation
                    + "\" must be \"true\" or \"false\"");
        }
        for (int i = 0; i < spec.mounts().size(); i++) {
            Mount m = spec.mounts().get(i);
            int kind = MountOptions.idmap(m.options());
            // The parser has made sure uidMappings and gidMappings come together.
            boolean mapped = !m.uidMappings().isEmpty();
            if (kind == 0 && !mapped) continue;
            String field = "config.json: mounts[" + i + "]";
            MountOptions o = MountOptions.parse(m.options());
            if (!o.isBind() && !"bind".equals(m.type())) {
                throw BerthException.invalid(field + ": an idmapped mount must be a bind mount");
            }
            // runtime-spec: only idmap without mappings of its own needs the container's user namespace.
            if (!mapped) requireUserNamespace(linux, "mounts[" + i + "]");
            boolean submounts = (o.flags() & MountFlags.MS_REC) != 0;
            // Mappings without idmap or ridmap (the spec only says SHOULD for the option) map the
            // whole tree the mount brings, as rbind asks.
            boolean mapSubmounts = kind == 2 || (kind == 0 && submounts);
            Mapping mapping = null;
            boolean containers = linux.isNew(NamespaceType.USER) && m.uidMappings().equals(linux.uidMappings())
                    && m.gidMappings().equals(linux.gidMappings());
            if (mapped && !containers) {
                mapping = new Mapping(m.uidMappings(), m.gidMappings());
            }
            plan.mountIndex[i] = plan.add(new Tree(spec.bundle().resolve(m.source()).toString(), submounts,
                    mapSubmounts, mapping));
        }
        return plan;
    }

    /** The container's user namespace, new or joined by path, is the one such a tree is mapped to. */
    private static void requireUserNamespace(LinuxSpec linux, String field) {
        if (linux.has(NamespaceType.USER)) return;
        throw BerthException.invalid("config.json: " + field + ": an idmapped mount without uidMappings/gidMappings "
                + "of its own needs a user namespace (linux.namespaces with type \"user\": new, with "
                + "linux.uidMappings, or joined by path)");
    }

    private int add(Tree t) {
        trees.add(t);
        return trees.size() - 1;
    }

    public List<Tree> trees() {
        return List.copyOf(trees);
    }

    /** The distinct mappings of the trees, in order of first use: one throwaway user namespace each. */
    public List<Mapping> mappings() {
        Set<Mapping> distinct = new LinkedHashSet<>();
        for (Tree t : trees) {
            if (t.mapping() != null) distinct.add(t.mapping());
        }
        return List.copyOf(distinct);
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
