package dev.berth.it.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Facts about the host the tests run on, read from /proc and /sys, and host commands. */
public final class Host {
    private Host() {
    }

    /**
     * Really root: euid 0 in the initial user namespace (uid_map "0 0 4294967295"). Root inside a
     * user namespace (podman rootless) is not enough for these tests.
     */
    public static boolean isRoot() {
        try {
            String map = Files.readString(Path.of("/proc/self/uid_map")).trim();
            String[] f = map.split("\\s+");
            boolean initialNs = f.length == 3 && f[0].equals("0") && f[1].equals("0") && f[2].equals("4294967295");
            return initialNs && euid() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static long euid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        }
        return -1;
    }

    /** Runs a host command and fails the test if it fails. */
    public static Result sh(String script) {
        return Exec.of("/bin/sh", "-c", script).scratch(Workspace.base()).run().assertOk();
    }

    /** Runs a host command, whatever its outcome. */
    public static Result trySh(String script) {
        return Exec.of("/bin/sh", "-c", script).scratch(Workspace.base()).run();
    }

    /** One parsed line of /proc/PID/mountinfo. */
    public record MountInfo(String root, String mountPoint, String options, String optional, String fsType,
                            String source, String superOptions, String line) {
        public boolean hasOption(String o) {
            return List.of(options.split(",")).contains(o);
        }
    }

    /** Parses mountinfo text (decoding the octal escapes of paths). */
    public static List<MountInfo> parseMountInfo(String text) {
        List<MountInfo> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            String[] halves = line.split(" - ", 2);
            String[] a = halves[0].split(" ");
            String[] b = halves.length > 1 ? halves[1].split(" ") : new String[0];
            if (a.length < 6 || b.length < 3) continue;
            StringBuilder optional = new StringBuilder();
            for (int k = 6; k < a.length; k++) optional.append(k > 6 ? " " : "").append(a[k]);
            out.add(new MountInfo(unescape(a[3]), unescape(a[4]), a[5], optional.toString(), b[0],
                    unescape(b[1]), b[2], line));
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\' && isOctal(s, k + 1)) {
                b.append((char) Integer.parseInt(s.substring(k + 1, k + 4), 8));
                k += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) return false;
        for (int k = from; k < from + 3; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '7') return false;
        }
        return true;
    }

    /** The test JVM's (the host's) mount table. */
    public static List<MountInfo> mounts() {
        try {
            return parseMountInfo(Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Host mount lines whose mount point or source path lies under {@code dir}. */
    public static List<String> mountsMentioning(Path dir) {
        String d = dir.toString();
        List<String> hits = new ArrayList<>();
        for (MountInfo m : mounts()) {
            if (under(m.mountPoint(), d) || under(m.source(), d)) hits.add(m.line());
        }
        return hits;
    }

    private static boolean under(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    /** Whether a process exists and is not a zombie. */
    public static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            return !stat.substring(close + 2, close + 3).equals("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /** The mount points of the cgroup hierarchies (v1 controllers and the v2 tree). */
    public static List<Path> cgroupHierarchies() {
        List<Path> out = new ArrayList<>();
        for (MountInfo m : mounts()) {
            if ((m.fsType().equals("cgroup") || m.fsType().equals("cgroup2"))
                    && under(m.mountPoint(), "/sys/fs/cgroup")) {
                out.add(Path.of(m.mountPoint()));
            }
        }
        return out;
    }

    /** Directories named by {@code cgroupsPath} (absolute, e.g. "/bit-x") in any hierarchy. */
    public static List<Path> cgroupDirs(String cgroupsPath) {
        if (cgroupsPath.length() < 2 || !cgroupsPath.startsWith("/") || cgroupsPath.contains("..")) {
            throw new IllegalArgumentException("refusing to look for cgroup '" + cgroupsPath + "'");
        }
        List<Path> out = new ArrayList<>();
        String rel = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        for (Path h : cgroupHierarchies()) {
            Path d = h.resolve(rel);
            if (Files.isDirectory(d)) out.add(d);
        }
        return out;
    }

    /** Live processes whose /proc/PID/cgroup puts them in {@code cgroupsPath} or below it. */
    public static List<Long> processesInCgroup(String cgroupsPath) {
        if (cgroupsPath.length() < 2 || !cgroupsPath.startsWith("/") || cgroupsPath.contains("..")) {
            throw new IllegalArgumentException("refusing to look for processes in cgroup '" + cgroupsPath + "'");
        }
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                long pid;
                try {
                    pid = Long.parseLong(p.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                List<String> lines;
                try {
                    lines = Files.readAllLines(p.resolve("cgroup"));
                } catch (IOException gone) {
                    continue;
                }
                for (String l : lines) {
                    String[] f = l.split(":", 3);
                    if (f.length == 3 && under(f[2], cgroupsPath) && alive(pid)) {
                        out.add(pid);
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** The inode of a namespace link such as /proc/self/ns/net, as "net:[4026531840]". */
    public static String nsLink(long pid, String ns) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns)).toString();
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /** Polls {@code cond} every 20 ms until it holds or {@code limit} passes. */
    public static boolean waitFor(Duration limit, BooleanSupplier cond) {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            if (cond.getAsBoolean()) return true;
            if (System.nanoTime() > end) return false;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Removes a directory tree without ever leaving its file system: mounts found under it are
     * detached first, and a directory on another device (a mount that could not be detached) is
     * left alone rather than emptied.
     */
    public static void removeTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        List<String> points = new ArrayList<>();
        for (MountInfo m : mounts()) {
            if (under(m.mountPoint(), dir.toString())) points.add(m.mountPoint());
        }
        points.sort((x, y) -> y.length() - x.length());
        for (String p : points) trySh("umount -l '" + p.replace("'", "'\\''") + "'");
        try {
            Object top = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    Object dev = Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS);
                    return dev.equals(top) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    try {
                        Files.deleteIfExists(d);
                    } catch (IOException notEmpty) {
                        // a skipped mount point below it: leave it
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("berth-it: cannot remove " + dir + ": " + e);
        }
    }
}
