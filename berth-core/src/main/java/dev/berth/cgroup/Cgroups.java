package dev.berth.cgroup;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creating, joining, listing and removing a container's cgroup on v1 and v2. Resource limits
 * come on top of this; here is only what the lifecycle needs: a place for every process of the
 * container, so that kill --all and delete reach all of them.
 */
public final class Cgroups {
    private final List<Hierarchy> hierarchies;
    private final Map<String, String> ownPaths;

    public Cgroups(List<Hierarchy> hierarchies, Map<String, String> ownPaths) {
        this.hierarchies = hierarchies;
        this.ownPaths = ownPaths;
    }

    /** The host's hierarchies as this process sees them. */
    public static Cgroups host() {
        try {
            return new Cgroups(parseMountinfo(Files.readAllLines(Path.of("/proc/self/mountinfo"))),
                    parseProcCgroup(Files.readAllLines(Path.of("/proc/self/cgroup"))));
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "read cgroup mounts: " + e);
        }
    }

    public List<Hierarchy> hierarchies() {
        return hierarchies;
    }

    /** The unified hierarchy of a pure cgroup v2 host; null on v1 and hybrid hosts. */
    public Hierarchy pureV2() {
        if (!ContainerCgroup.isUnified(hierarchies)) return null;
        for (Hierarchy h : hierarchies) {
            if (h.unified()) return h;
        }
        return null;
    }

    /** This process's own cgroup path in {@code h} (from /proc/self/cgroup). */
    public String ownPath(Hierarchy h) {
        return ownPaths.getOrDefault(h.controllers(), "/");
    }

    static List<Hierarchy> parseMountinfo(List<String> lines) {
        List<Hierarchy> list = new ArrayList<>();
        for (String line : lines) {
            int dash = line.indexOf(" - ");
            if (dash < 0) continue;
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) continue;
            String root = unescape(pre[3]);
            Path mp = Path.of(unescape(pre[4]));
            if (post[0].equals("cgroup2")) {
                list.add(new Hierarchy("", mp, root, true));
            } else if (post[0].equals("cgroup")) {
                List<String> ctrls = new ArrayList<>();
                for (String opt : post[2].split(",")) {
                    if (isController(opt)) ctrls.add(opt);
                }
                if (!ctrls.isEmpty()) list.add(new Hierarchy(String.join(",", ctrls), mp, root, false));
            }
        }
        return list;
    }

    private static boolean isController(String opt) {
        return switch (opt) {
            case "rw", "ro", "relatime", "noatime", "nosuid", "nodev", "noexec", "clone_children",
                 "noprefix", "xattr", "nsdelegate", "memory_recursiveprot", "memory_localevents",
                 "favordynmods" -> false;
            default -> !opt.startsWith("release_agent=");
        };
    }

    /** /proc/self/cgroup: controllers (or "" for v2) to this process's path. */
    static Map<String, String> parseProcCgroup(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length == 3) m.put(f[1], f[2]);
        }
        return m;
    }

    /**
     * The directories of {@code cgroupsPath} in every hierarchy. An absolute path is taken from
     * each hierarchy's root; a relative one from berth's own cgroup there, as runc does.
     */
    public List<Path> dirsFor(String cgroupsPath) {
        List<Path> dirs = new ArrayList<>();
        for (Hierarchy h : hierarchies) dirs.add(h.dirOf(absolute(h, cgroupsPath)));
        return dirs;
    }

    /** The absolute cgroup path of {@code cgroupsPath} within {@code h}. */
    public String absolute(Hierarchy h, String cgroupsPath) {
        if (cgroupsPath.startsWith("/")) return cgroupsPath;
        String own = ownPaths.getOrDefault(h.controllers(), "/");
        return (own.endsWith("/") ? own : own + "/") + cgroupsPath;
    }

    /**
     * Makes every directory; v1 cpuset ones get their parent's cpus and mems, or tasks can't join.
     * On v2 an empty cpuset.cpus already means "the parent's" (and the root has no such file).
     */
    public static void create(List<Path> dirs) {
        for (Path d : dirs) {
            try {
                List<Path> made = new ArrayList<>();
                for (Path p = d; p != null && !Files.exists(p); p = p.getParent()) made.add(0, p);
                for (Path p : made) {
                    try {
                        Files.createDirectory(p);
                    } catch (java.nio.file.FileAlreadyExistsException ignored) {
                        // another container made the shared parent first
                    }
                    inheritCpuset(p);
                }
            } catch (IOException e) {
                throw new BerthException(BerthException.Kind.SYSTEM, "create cgroup " + d + ": " + e, 0, e);
            }
        }
    }

    private static void inheritCpuset(Path dir) throws IOException {
        if (Files.exists(dir.resolve("cgroup.controllers"))) return;
        for (String f : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            Path file = dir.resolve(f);
            if (!Files.exists(file) || !Files.readString(file).isBlank()) continue;
            Files.writeString(file, Files.readString(dir.getParent().resolve(f)).trim());
        }
    }

    public static void join(List<Path> dirs, int pid) {
        for (Path d : dirs) {
            try {
                Files.writeString(d.resolve("cgroup.procs"), Integer.toString(pid));
            } catch (IOException e) {
                throw new BerthException(BerthException.Kind.SYSTEM,
                        "put process " + pid + " into cgroup " + d + ": " + e.getMessage(), 0, e);
            }
        }
    }

    /** Every process in the container's cgroup (read from the first hierarchy that has the dir). */
    public static List<Integer> pids(List<Path> dirs) {
        List<Integer> pids = new ArrayList<>();
        for (Path d : dirs) {
            try {
                for (String l : Files.readAllLines(d.resolve("cgroup.procs"))) {
                    if (!l.isBlank()) pids.add(Integer.parseInt(l.trim()));
                }
                return pids;
            } catch (NoSuchFileException e) {
                // try the next hierarchy
            } catch (IOException e) {
                throw new BerthException(BerthException.Kind.SYSTEM, "list processes of cgroup " + d + ": " + e);
            }
        }
        return pids;
    }

    /**
     * Removes the directories. A cgroup is busy for a moment after its last process died, so
     * EBUSY is retried briefly.
     */
    public static void remove(List<Path> dirs) {
        for (Path d : dirs) {
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.deleteIfExists(d);
                    break;
                } catch (DirectoryNotEmptyException e) {
                    throw new BerthException(BerthException.Kind.SYSTEM,
                            "remove cgroup " + d + ": it has child cgroups");
                } catch (IOException e) {
                    if (attempt >= 200) {
                        throw new BerthException(BerthException.Kind.SYSTEM, "remove cgroup " + d + ": " + e);
                    }
                    sleep(5);
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
