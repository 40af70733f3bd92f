package dev.berth.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about a host process read from /proc/PID/stat. */
public final class ProcessInfo {
    private ProcessInfo() {}

    /**
     * The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or -1 if
     * there is no such process. Stored with a PID so that a reused PID is never taken for ours.
     */
    public static long startTime(int pid) {
        String stat = stat(pid);
        if (stat == null) return -1;
        String[] f = afterComm(stat);
        return f.length > 19 ? Long.parseLong(f[19]) : -1;
    }

    /** The one-letter state (R, S, D, Z, T, ...), or 0 if there is no such process. */
    public static char state(int pid) {
        String stat = stat(pid);
        if (stat == null) return 0;
        String[] f = afterComm(stat);
        return f.length > 0 && !f[0].isEmpty() ? f[0].charAt(0) : 0;
    }

    /** Whether {@code pid} is the same living process that started at {@code startTime}. */
    public static boolean isAlive(int pid, long startTime) {
        if (pid <= 0) return false;
        String stat = stat(pid);
        if (stat == null) return false;
        String[] f = afterComm(stat);
        if (f.length <= 19) return false;
        if (f[0].startsWith("Z") || f[0].startsWith("X")) return false;
        return startTime <= 0 || Long.parseLong(f[19]) == startTime;
    }

    private static String stat(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return null;
        }
    }

    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    private static String[] afterComm(String stat) {
        int i = stat.lastIndexOf(')');
        return stat.substring(i + 2).trim().split(" ");
    }
}
