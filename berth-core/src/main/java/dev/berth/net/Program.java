package dev.berth.net;

import dev.berth.api.BerthException;
import dev.berth.sys.Spawn;
import dev.berth.sys.Subprocess;
import dev.berth.sys.Sys;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a host program (a CNI plugin, ip, slirp4netns, pasta) through posix_spawn, never
 * ProcessBuilder; finds them where Debian installs them, and starts the daemons that outlive berth.
 */
final class Program {

    private Program() {}

    /** The program's path in the usual directories, or null. */
    static String find(String name) {
        return Subprocess.find(name);
    }

    /** {@link #find}, or an error that names the program and the Debian package that has it. */
    static String require(String name, String debianPackage) {
        String p = find(name);
        if (p == null) {
            throw BerthException.invalid(name + " is not installed (Debian package " + debianPackage
                    + ": apt-get install " + debianPackage + ")");
        }
        return p;
    }

    /** Runs to the end (killed after {@code timeoutSeconds}), {@code input} on its stdin. */
    static Subprocess.Outcome run(String what, String path, List<String> argv, List<String> env, String input,
            int timeoutSeconds) {
        return Subprocess.capture(what, path, argv, env, input, timeoutSeconds);
    }

    /**
     * Starts a daemon that outlives berth: stdin from /dev/null, stdout and stderr to {@code logFile},
     * and {@code extra} descriptors at the numbers given.
     */
    static int startDaemon(String what, String path, List<String> argv, Path logFile, int[][] extra) {
        int log = Sys.openat("open " + logFile, logFile.toString(),
                Sys.O_WRONLY | Sys.O_CREAT | Sys.O_CLOEXEC | 02000 /* O_APPEND */, 0600);
        int nul = -1;
        try {
            nul = Sys.openat("open /dev/null", "/dev/null", Sys.O_RDONLY | Sys.O_CLOEXEC, 0);
            int[][] fds = new int[3 + extra.length][];
            fds[0] = new int[] {nul, 0};
            fds[1] = new int[] {log, 1};
            fds[2] = new int[] {log, 2};
            System.arraycopy(extra, 0, fds, 3, extra.length);
            return Spawn.spawn(path, argv, List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), fds);
        } catch (BerthException e) {
            throw e.within(what);
        } finally {
            Sys.close(log);
            Sys.close(nul);
        }
    }
}
