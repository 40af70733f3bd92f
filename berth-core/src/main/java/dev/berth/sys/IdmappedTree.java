package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A detached copy of a directory tree whose ids are mapped through a user namespace
 * (open_tree(2) with OPEN_TREE_CLONE, then mount_setattr(2) with MOUNT_ATTR_IDMAP). Only a
 * process with CAP_SYS_ADMIN over the file system's user namespace may make one, so berth makes
 * it in the host's user namespace and hands the descriptor to berth-init, which attaches it.
 */
public final class IdmappedTree {
    private static final int OPEN_TREE = 428, MOUNT_SETATTR = 442;
    private static final int OPEN_TREE_CLONE = 1, OPEN_TREE_CLOEXEC = Sys.O_CLOEXEC;
    private static final int AT_EMPTY_PATH = 0x1000, AT_RECURSIVE = 0x8000;
    private static final long MOUNT_ATTR_IDMAP = 0x00100000L;
    private static final int MOUNT_ATTR_SIZE = 32;

    private IdmappedTree() {}

    /**
     * A close-on-exec descriptor of {@code source} idmapped to {@code userns}: with its submounts
     * when {@code submounts} (rbind), and those idmapped too when {@code mapSubmounts} (ridmap).
     */
    public static int open(String source, boolean submounts, boolean mapSubmounts, int usernsFd) {
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = (int) Sys.call("open_tree " + source, OPEN_TREE, Sys.AT_FDCWD, Sys.cstr(a, source).address(),
                    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (submounts ? AT_RECURSIVE : 0), 0, 0, 0);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(MOUNT_ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_LONG, 0, MOUNT_ATTR_IDMAP);
            attr.set(ValueLayout.JAVA_LONG, 24, usernsFd);
            Sys.call("idmap " + source, MOUNT_SETATTR, fd, Sys.cstr(a, "").address(),
                    AT_EMPTY_PATH | (mapSubmounts ? AT_RECURSIVE : 0), attr.address(), MOUNT_ATTR_SIZE, 0);
            return fd;
        } catch (RuntimeException e) {
            Sys.close(fd);
            throw e;
        }
    }
}
