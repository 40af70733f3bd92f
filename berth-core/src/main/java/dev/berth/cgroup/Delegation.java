package dev.berth.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToIntFunction;

/**
 * The cgroup v2 subtree delegated to an unprivileged caller, and where a rootless container's
 * cgroup goes in it. A subtree is delegated to a user when its top directory and the files that
 * move processes and pass controllers on (cgroup.procs, cgroup.subtree_control, cgroup.threads)
 * belong to the user: that is how systemd's Delegate= and a hand-made delegation look.
 */
public final class Delegation {
    private static final String[] DELEGATED_FILES = {"cgroup.procs", "cgroup.subtree_control", "cgroup.threads"};

    private Delegation() {}

    /**
     * The cgroup path (absolute in the v2 hierarchy) of the topmost ancestor of {@code ownPath}
     * (the caller's cgroup) that {@code uid} owns, or null when it owns not even its own cgroup.
     * The topmost one, because the caller's own cgroup holds processes, and by v2's rule a cgroup
     * with processes of its own cannot pass controllers on to children.
     */
    public static String subtree(Hierarchy unified, String ownPath, int uid, ToIntFunction<Path> owner) {
        String found = null;
        for (String p = ownPath; p != null; p = parent(p)) {
            Path dir = unified.dirOf(p);
            if (!dir.startsWith(unified.mountPoint()) || !owned(dir, uid, owner)) break;
            found = p;
        }
        return found;
    }

    /** The owner of a file as the caller's user namespace sees it; -1 when it cannot be read. */
    public static int ownerOf(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static boolean owned(Path dir, int uid, ToIntFunction<Path> owner) {
        if (owner.applyAsInt(dir) != uid) return false;
        for (String f : DELEGATED_FILES) {
            if (owner.applyAsInt(dir.resolve(f)) != uid) return false;
        }
        return true;
    }

    private static String parent(String p) {
        if (p.equals("/") || p.isEmpty()) return null;
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }

    /**
     * The container's cgroup path in {@code subtree}: a relative cgroupsPath is taken from the
     * subtree's top (not from the caller's own cgroup, which holds processes); an absolute one is
     * kept when it lies strictly below the top. Null when it lies outside.
     */
    public static String place(String subtree, String cgroupsPath) {
        String top = subtree.endsWith("/") ? subtree : subtree + "/";
        if (!cgroupsPath.startsWith("/")) return top + cgroupsPath;
        return cgroupsPath.startsWith(top) && cgroupsPath.length() > top.length() ? cgroupsPath : null;
    }
}
