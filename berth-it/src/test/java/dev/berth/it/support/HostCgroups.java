package dev.berth.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a test container's cgroup files from the host side: on cgroup v1 the directory of the
 * hierarchy that carries the controller, on a pure v2 host the one unified directory.
 */
public final class HostCgroups {
    private HostCgroups() {
    }

    /** True when the host has v1 controllers (these machines: cgroup v1 hybrid). */
    public static boolean isV1() {
        for (Path h : Host.cgroupHierarchies()) {
            String name = h.getFileName().toString();
            if (!name.equals("unified") && !name.equals("cgroup") && !name.equals("systemd")) return true;
        }
        return false;
    }

    /** The container's directory for {@code controller} ("memory", "cpu", ...). */
    public static Path dir(Bundle b, String controller) {
        String rel = b.cgroupsPath().substring(1);
        List<Path> hierarchies = Host.cgroupHierarchies();
        for (Path h : hierarchies) {
            for (String c : h.getFileName().toString().split(",")) {
                if (c.equals(controller)) return h.resolve(rel);
            }
        }
        if (!isV1() && !hierarchies.isEmpty()) return hierarchies.get(0).resolve(rel);
        throw new AssertionError("no cgroup hierarchy carries the " + controller + " controller");
    }

    /** The trimmed content of one of the container's cgroup files. */
    public static String read(Bundle b, String controller, String file) {
        Path f = dir(b, controller).resolve(file);
        try {
            return Files.readString(f).trim();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + f + ": " + e);
        }
    }

    /** "major:minor" of a real block device of the host (for blkio rules), or null. */
    public static String someBlockDevice() {
        try (var dirs = Files.newDirectoryStream(Path.of("/sys/block"))) {
            for (Path d : dirs) {
                String n = d.getFileName().toString();
                if (n.startsWith("loop") || n.startsWith("ram") || n.startsWith("zram")) continue;
                Path dev = d.resolve("dev");
                if (Files.exists(dev)) return Files.readString(dev).trim();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
