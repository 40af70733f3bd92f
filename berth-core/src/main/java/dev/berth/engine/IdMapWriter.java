package dev.berth.engine;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a new user namespace's id maps on the helper's request. Only the parent can: the
 * helper has no rights in the namespace until a map exists.
 */
final class IdMapWriter {
    private IdMapWriter() {}

    /** One line of uid_map or gid_map: container id, host id, size. */
    record IdRange(long containerId, long hostId, long size) {}

    static void write(int pid, List<IdRange> uids, List<IdRange> gids) {
        Path proc = Path.of("/proc/" + pid);
        if (!Rootness.isRealRoot() && !isOwnIdOnly(uids, gids)) {
            throw new BerthException(BerthException.Kind.INVALID,
                    "linux.uidMappings/gidMappings: an unprivileged user can map only its own uid "
                            + Rootness.uid() + " and gid " + Rootness.gid() + " (size 1)");
        }
        try {
            if (!Rootness.isRealRoot()) Files.writeString(proc.resolve("setgroups"), "deny");
            Files.writeString(proc.resolve("uid_map"), lines(uids));
            Files.writeString(proc.resolve("gid_map"), lines(gids));
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "write id maps of process " + pid + ": " + e, 0, e);
        }
    }

    private static boolean isOwnIdOnly(List<IdRange> uids, List<IdRange> gids) {
        return uids.size() == 1 && gids.size() == 1 && uids.get(0).size() == 1 && gids.get(0).size() == 1
                && uids.get(0).hostId() == Rootness.uid() && gids.get(0).hostId() == Rootness.gid();
    }

    private static String lines(List<IdRange> ranges) {
        StringBuilder sb = new StringBuilder();
        for (IdRange r : ranges) sb.append(r.containerId()).append(' ').append(r.hostId()).append(' ')
                .append(r.size()).append('\n');
        return sb.toString();
    }
}
