package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.spec.IdMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether the container's root in a new user namespace can reach the rootfs. It is the host id
 * its uid 0 maps to, with no rights over directories of unmapped owners, so a 0700 directory of
 * the host's root above the bundle stops it half-way through create with a bare EACCES. Checked
 * first, to name the directory that blocks it and what to do.
 */
final class RootfsReach {
    private RootfsReach() {}

    /** {@code uid}/{@code gid}: the host ids of the container's root; {@code mappedUids}: all host uids mapped. */
    static void check(Path rootfs, long uid, long gid, List<IdMapping> mappedUids) {
        Path dir = rootfs.getRoot();
        for (Path part : rootfs) {
            dir = dir.resolve(part);
            try {
                int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int group = (Integer) Files.getAttribute(dir, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                // Root in the user namespace may enter directories whose owner is mapped there.
                if (mapped(owner, mappedUids)) continue;
                int bit = owner == uid ? 0100 : group == gid ? 0010 : 0001;
                if ((mode & bit) != 0) continue;
                throw BerthException.invalid("config.json: root.path: " + rootfs + " cannot be reached by the "
                        + "container's root (host uid " + uid + "): " + dir + " (owner " + owner + ", mode "
                        + String.format("%04o", mode & 07777) + ") does not let it through; chmod o+x " + dir
                        + ", or move the bundle");
            } catch (IOException | UnsupportedOperationException e) {
                return; // the helper reports whatever the kernel says
            }
        }
    }

    private static boolean mapped(long hostId, List<IdMapping> ranges) {
        for (IdMapping r : ranges) {
            if (hostId >= r.hostId() && hostId < r.hostId() + r.size()) return true;
        }
        return false;
    }
}
