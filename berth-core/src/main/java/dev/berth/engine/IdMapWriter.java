package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.rootless.SubIds;
import dev.berth.spec.IdMapping;
import dev.berth.sys.Subprocess;
import dev.berth.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a new user namespace's id maps on the helper's request. Only the parent can: the
 * helper has no rights in the namespace until a map exists. Real root writes any map; an
 * unprivileged user writes a map of its own id itself and needs newuidmap/newgidmap, which
 * check /etc/subuid and /etc/subgid, for anything more.
 */
final class IdMapWriter {

    private IdMapWriter() {}

    /** One line of uid_map or gid_map: container id, host id, size. */

    /**
     * Refuses, before anything is created, maps the caller is not entitled to, naming what
     * /etc/subuid or /etc/subgid grant instead.
     */
    static void check(List<IdMapping> uids, List<IdMapping> gids) {
        // uid 0 of a user namespace (rootless podman calls runtimes so) maps what its namespace has.
        if (Sys.geteuid() == 0) return;
        checkOne("linux.uidMappings", uids, Path.of("/etc/subuid"), Rootness.uid(), "newuidmap");
        checkOne("linux.gidMappings", gids, Path.of("/etc/subgid"), Rootness.gid(), "newgidmap");
    }

    private static void checkOne(String field, List<IdMapping> ranges, Path grants, long own, String tool) {
        if (ranges.isEmpty() || isOwnIdOnly(ranges, own)) return;
        String user = SubIds.userName(Rootness.uid());
        List<SubIds.Range> allowed = new ArrayList<>(SubIds.granted(grants, user, Rootness.uid()));
        allowed.add(new SubIds.Range(own, 1));
        for (IdMapping r : ranges) {
            SubIds.Range missing = SubIds.uncovered(new SubIds.Range(r.hostId(), r.size()), allowed);
            if (missing == null) continue;
            List<SubIds.Range> fromFile = allowed.subList(0, allowed.size() - 1);
            throw BerthException.invalid("config.json: " + field + ": host ids " + missing + " are not granted to "
                    + (user != null ? user : "uid " + Rootness.uid()) + ": " + grants
                    + (fromFile.isEmpty() ? " grants none" : " grants " + join(fromFile))
                    + ", and the user's own id is " + own);
        }
        if (tool(tool) == null) {
            throw BerthException.invalid("config.json: " + field + ": a map beyond the user's own id needs " + tool
                    + ", which is not installed (apt-get install uidmap)");
        }
    }

    /**
     * Like runc: the map is written directly first, which works for root of any user namespace
     * and for a map of the caller's own id; only when the kernel refuses does newuidmap or
     * newgidmap write it.
     */
    static void write(int pid, List<IdMapping> uids, List<IdMapping> gids) {
        Path proc = Path.of("/proc/" + pid);
        try {
            if (!tryWrite(proc.resolve("uid_map"), uids)) runTool("newuidmap", pid, uids);
            if (tryWrite(proc.resolve("gid_map"), gids)) return;
            if (isOwnIdOnly(gids, Rootness.gid())) {
                // The kernel's condition for an unprivileged gid_map: no setgroups in the namespace.
                Files.writeString(proc.resolve("setgroups"), "deny");
                Files.writeString(proc.resolve("gid_map"), lines(gids));
            } else {
                runTool("newgidmap", pid, gids);
            }
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "write id maps of process " + pid + ": " + e, 0, e);
        }
    }

    /** False when the kernel refuses the map to this process (EPERM). */
    private static boolean tryWrite(Path file, List<IdMapping> ranges) throws IOException {
        try {
            Files.writeString(file, lines(ranges));
            return true;
        } catch (java.nio.file.AccessDeniedException e) {
            return false;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Operation not permitted")) return false;
            throw e;
        }
    }

    private static void runTool(String name, int pid, List<IdMapping> ranges) {
        String path = tool(name);
        if (path == null) throw BerthException.invalid(name + " is not installed (apt-get install uidmap)");
        List<String> argv = new ArrayList<>();
        argv.add(name);
        argv.add(Integer.toString(pid));
        for (IdMapping r : ranges) {
            argv.add(Long.toString(r.containerId()));
            argv.add(Long.toString(r.hostId()));
            argv.add(Long.toString(r.size()));
        }
        Subprocess.run(name + " " + pid, path, argv, List.of(), "", 10);
    }

    static String tool(String name) {
        return Subprocess.find(name);
    }

    private static boolean isOwnIdOnly(List<IdMapping> ranges, long own) {
        return ranges.size() == 1 && ranges.get(0).size() == 1 && ranges.get(0).hostId() == own;
    }

    private static String join(List<SubIds.Range> ranges) {
        StringBuilder sb = new StringBuilder();
        for (SubIds.Range r : ranges) sb.append(sb.isEmpty() ? "" : ", ").append(r);
        return sb.toString();
    }

    private static String lines(List<IdMapping> ranges) {
        StringBuilder sb = new StringBuilder();
        for (IdMapping r : ranges) sb.append(r.containerId()).append(' ').append(r.hostId()).append(' ')
                .append(r.size()).append('\n');
        return sb.toString();
    }
}
