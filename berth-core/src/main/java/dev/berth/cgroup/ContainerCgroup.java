package dev.berth.cgroup;

import dev.berth.api.BerthException;
import dev.berth.spec.Resources;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container's cgroup as the files berth reads and writes: on v1 a directory per controller,
 * on v2 (a host whose only hierarchy is the unified one) a single directory. A hybrid host's
 * controller-less unified directory only holds processes, so it counts for neither.
 */
public final class ContainerCgroup {
    private final boolean unified;
    private final Map<String, Path> byController;
    private final Path v2Dir;
    private final Path v2Mount;

    private ContainerCgroup(boolean unified, Map<String, Path> byController, Path v2Dir, Path v2Mount) {
        this.unified = unified;
        this.byController = byController;
        this.v2Dir = v2Dir;
        this.v2Mount = v2Mount;
    }

    /** The cgroup made of a container's {@code dirs} on a host with these hierarchies. */
    public static ContainerCgroup of(List<Path> dirs, List<Hierarchy> hierarchies) {
        boolean v2 = isUnified(hierarchies);
        Map<String, Path> map = new LinkedHashMap<>();
        Path v2Dir = null;
        Path v2Mount = null;
        for (Path d : dirs) {
            Hierarchy h = owner(d, hierarchies);
            if (h == null) continue;
            if (h.unified()) {
                if (v2) {
                    v2Dir = d;
                    v2Mount = h.mountPoint();
                }
                continue;
            }
            for (String c : h.controllers().split(",")) map.put(c, d);
        }
        return new ContainerCgroup(v2, map, v2Dir, v2Mount);
    }

    /** Whether the host is cgroup v2 only: one unified hierarchy and no v1 controllers. */
    public static boolean isUnified(List<Hierarchy> hierarchies) {
        boolean any = false;
        for (Hierarchy h : hierarchies) {
            if (!h.unified() && !h.controllers().startsWith("name=")) return false;
            if (h.unified()) any = true;
        }
        return any;
    }

    private static Hierarchy owner(Path dir, List<Hierarchy> hierarchies) {
        Hierarchy best = null;
        for (Hierarchy h : hierarchies) {
            if (dir.startsWith(h.mountPoint())
                    && (best == null || h.mountPoint().getNameCount() > best.mountPoint().getNameCount())) {
                best = h;
            }
        }
        return best;
    }

    public boolean unified() {
        return unified;
    }

    /** Whether the container has a cgroup of its own at all (rootless containers have none). */
    public boolean exists() {
        return unified ? v2Dir != null : !byController.isEmpty();
    }

    /** The directory holding {@code controller}'s files, or null when that controller is not mounted. */
    public Path dir(String controller) {
        return unified ? v2Dir : byController.get(controller);
    }

    /**
     * On v2, a cgroup has only the controllers its parent lists in cgroup.subtree_control; each
     * ancestor below the mount passes on every controller it has, as runc does. Best effort: an
     * ancestor that holds processes itself refuses (EBUSY, v2's "no internal processes" rule), an
     * ancestor an unprivileged caller does not own refuses (EACCES), and then a limit that needs a
     * missing controller fails later, naming its field, while a container without limits still
     * runs. When the whole list is refused, each controller is tried alone: the kernel refuses
     * cpuset to an unprivileged user whose delegated subtree holds a process it may not move (such
     * as runuser's, which stays root), and that must not cost the container its memory and pids.
     * Nothing on v1.
     */
    public void enableControllers() {
        if (!unified || v2Dir == null || !v2Dir.startsWith(v2Mount)) return;
        Path rel = v2Mount.relativize(v2Dir);
        Path p = v2Mount;
        for (int i = 0; i < rel.getNameCount(); i++) {
            try {
                String list = Files.readString(p.resolve("cgroup.controllers")).trim();
                if (!list.isEmpty()) enable(p.resolve("cgroup.subtree_control"), list.split(" "));
            } catch (IOException e) {
                // see above: the writes that need a controller report it
            }
            p = p.resolve(rel.getName(i));
        }
    }

    private static void enable(Path subtreeControl, String[] controllers) {
        StringBuilder all = new StringBuilder();
        for (String c : controllers) all.append(all.length() == 0 ? "+" : " +").append(c);
        if (writeQuietly(subtreeControl, all.toString())) return;
        for (String c : controllers) writeQuietly(subtreeControl, "+" + c);
    }

    private static boolean writeQuietly(Path file, String value) {
        try {
            Files.write(file, value.getBytes(), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes every value in order, then (v2) attaches the device program. The first failure stops with an error naming the config field.
     * On v1 a memory limit above the current memory+swap limit is refused by the kernel, so when
     * that write fails and a memory+swap value follows, that one is written first (runc does the same
     * by comparing the values).
     */
    public void apply(CgroupSettings settings) {
        List<CgroupWrite> writes = settings.writes();
        boolean[] done = new boolean[writes.size()];
        for (int i = 0; i < writes.size(); i++) {
            if (done[i]) continue;
            CgroupWrite w = writes.get(i);
            try {
                write(w);
            } catch (BerthException e) {
                int swap = w.file().equals("memory.limit_in_bytes") ? indexOf(writes, "memory.memsw.limit_in_bytes", i) : -1;
                if (swap < 0) throw e;
                write(writes.get(swap));
                done[swap] = true;
                write(w);
            }
        }
        if (unified && settings.v2DeviceRules() != null && v2Dir != null) {
            BpfDevices.attach(v2Dir, settings.v2DeviceRules());
        }
    }

    private static int indexOf(List<CgroupWrite> writes, String file, int after) {
        for (int i = after + 1; i < writes.size(); i++) {
            if (writes.get(i).file().equals(file)) return i;
        }
        return -1;
    }

    private void write(CgroupWrite w) {
        Path dir = dir(w.controller());
        if (dir == null) {
            throw BerthException.invalid(w.field() + ": the " + w.controller()
                    + " cgroup controller is not mounted on this host");
        }
        Path file = dir.resolve(w.file());
        if (!Files.exists(file) && w.fallback() != null) {
            write(w.fallback());
            return;
        }
        if (!Files.exists(file) && w.optional()) return;
        if (!Files.exists(file)) {
            throw BerthException.invalid(w.field() + ": " + file + " does not exist (the kernel or this cgroup"
                    + " has no " + w.controller() + " controller file " + w.file() + ")");
        }
        try {
            Files.write(file, w.value().getBytes(), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.INVALID, w.field() + ": write \"" + w.value() + "\" to "
                    + file + ": " + reason(e), 0, e);
        }
    }

    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * memory.checkBeforeUpdate: a new memory limit below what the container uses now is refused
     * rather than left to the kernel (which would reclaim or OOM-kill to get there).
     */
    public void checkMemoryBeforeUpdate(Resources r, String where) {
        if (r.memory() == null || !r.memory().checkBeforeUpdate() || r.memory().limit() == null
                || r.memory().limit() <= 0) {
            return;
        }
        String usage = read("memory", unified ? "memory.current" : "memory.usage_in_bytes");
        if (usage == null || usage.isEmpty()) return;
        long used = Long.parseLong(usage);
        if (used > r.memory().limit()) {
            throw BerthException.invalid(where + ".memory.limit: " + r.memory().limit()
                    + " is below the current usage " + used + " (memory.checkBeforeUpdate)");
        }
    }

    /** The trimmed content of a cgroup file of {@code controller}, or null when it cannot be read. */
    public String read(String controller, String file) {
        Path dir = dir(controller);
        if (dir == null) return null;
        try {
            return Files.readString(dir.resolve(file)).trim();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** True when the freezer says every process is frozen. */
    public boolean frozen() {
        if (unified) return "1".equals(read("", "cgroup.freeze"));
        return "FROZEN".equals(read("freezer", "freezer.state"));
    }
}
