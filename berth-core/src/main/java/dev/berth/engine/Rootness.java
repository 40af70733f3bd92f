package dev.berth.engine;

import dev.berth.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * "Am I really root?" Answered from /proc/self/uid_map, not the effective uid: podman's rootless
 * mode runs the runtime as uid 0 inside a user namespace that has none of root's powers.
 */
public final class Rootness {
    private Rootness() {}

    public static boolean isRealRoot() {
        if (Sys.geteuid() != 0) return false;
        try {
            String map = Files.readString(Path.of("/proc/self/uid_map")).trim();
            String[] f = map.split("\\s+");
            return f.length == 3 && f[0].equals("0") && f[1].equals("0") && f[2].equals("4294967295");
        } catch (IOException e) {
            return false;
        }
    }

    public static int uid() {
        return Sys.getuid();
    }

    public static int gid() {
        return Sys.getgid();
    }
}
