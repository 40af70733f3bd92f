package dev.berth.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * runc's checkProcMount: a mount over /proc, or inside it, could hide the masks berth puts on
 * /proc or replace files the kernel trusts (CVE-2019-16884, CVE-2019-19921). /proc itself takes
 * only a proc mount or a bind of one, and inside /proc only the files lxcfs emulates may be
 * covered. The destination is compared lexically; berth-init resolves symlinks inside the root.
 */
final class ProcMounts {
    private ProcMounts() {}

    static final List<String> ALLOWED_INSIDE = List.of("/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",
            "/proc/stat", "/proc/swaps", "/proc/uptime", "/proc/loadavg", "/proc/slabinfo",
            "/proc/sys/kernel/ns_last_pid", "/proc/sys/crypto/fips_enabled");

    /**
     * Why this mount may not be made, or null.
     *
     * @param destination  the lexically cleaned destination
     * @param bindSource   the host path of a bind mount's source, or null for other mounts
     */
    static String refusal(String destination, String type, Path bindSource) {
        if (destination.equals("/proc")) {
            if (bindSource == null) return "proc".equals(type) ? null : "/proc can only take a mount of type proc";
            return isProcfs(bindSource) ? null : "/proc can only take a bind of a proc file system";
        }
        if (!destination.startsWith("/proc/") || ALLOWED_INSIDE.contains(destination)) return null;
        return "mounts inside /proc are refused, except on " + String.join(", ", ALLOWED_INSIDE);
    }

    private static boolean isProcfs(Path p) {
        try {
            return Files.getFileStore(p).type().equals("proc");
        } catch (IOException e) {
            return false;
        }
    }
}
