package dev.berth.cli;

import dev.berth.api.BerthException;
import dev.berth.api.CreateOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * The flags {@code create} and {@code run} share, and what they turn into: the bundle, the
 * library's {@link CreateOptions}, and clear errors for what berth does not do yet.
 */
final class BundleFlags {
    static final Flag BUNDLE = Flag.string("bundle", "b",
            "path to the root of the bundle directory, defaults to the current directory");
    static final Flag CONSOLE_SOCKET = Flag.string("console-socket", null,
            "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the "
                    + "console's pseudoterminal");
    static final Flag PIDFD_SOCKET = Flag.string("pidfd-socket", null,
            "path to an AF_UNIX socket which will receive a file descriptor referencing the init process "
                    + "(not supported yet)");
    static final Flag PID_FILE = Flag.string("pid-file", null, "specify the file to write the process id to");
    static final Flag NO_PIVOT = Flag.bool("no-pivot", null,
            "do not use pivot root to jail process inside rootfs; use this when the rootfs is on a ramdisk");
    static final Flag NO_NEW_KEYRING = Flag.bool("no-new-keyring", null,
            "do not create a new session keyring for the container (accepted; berth creates none)");
    static final Flag PRESERVE_FDS = Flag.integer("preserve-fds", null,
            "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)");

    static final List<Flag> FLAGS =
            List.of(BUNDLE, CONSOLE_SOCKET, PIDFD_SOCKET, PID_FILE, NO_PIVOT, NO_NEW_KEYRING, PRESERVE_FDS);

    private BundleFlags() {}

    /** --bundle made absolute, or the working directory. */
    static Path bundle(ParsedArgs a) {
        return Context.absolute(a.string(BUNDLE, ""));
    }

    /** runc makes --pid-file absolute before anything else, so a relative one is relative to the caller. */
    static CreateOptions options(ParsedArgs a) {
        String pidFile = a.string(PID_FILE, "");
        String socket = a.string(CONSOLE_SOCKET, "");
        int preserve = a.integer(PRESERVE_FDS, 0);
        if (preserve < 0) throw BerthException.invalid("--preserve-fds: " + preserve + " must not be negative");
        return new CreateOptions(pidFile.isEmpty() ? null : Context.absolute(pidFile), a.bool(NO_PIVOT),
                socket.isEmpty() ? null : Context.absolute(socket), listenFds(), preserve, notifySocket());
    }

    /** The caller's sd_notify socket (NOTIFY_SOCKET), as runc takes it from its environment; null if none. */
    static Path notifySocket() {
        String s = System.getenv("NOTIFY_SOCKET");
        return s == null || s.isEmpty() ? null : Path.of(s);
    }

    /**
     * systemd socket activation, as runc takes it: LISTEN_FDS descriptors from 3 up, meant for
     * this process only when LISTEN_PID is its PID (bin/berth execs the JVM, so the PID is the
     * caller's child's).
     */
    static int listenFds() {
        String fds = System.getenv("LISTEN_FDS");
        String pid = System.getenv("LISTEN_PID");
        if (fds == null || pid == null || !pid.equals(Long.toString(ProcessHandle.current().pid()))) return 0;
        try {
            int n = Integer.parseInt(fds);
            return n > 0 ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Fails for the flags and global options berth accepts but cannot honour yet. */
    static void checkSupported(Context ctx, ParsedArgs a) {
        if (!a.string(PIDFD_SOCKET, "").isEmpty()) throw later("--pidfd-socket");
        if (ctx.globals().systemdCgroup()) {
            throw BerthException.invalid(
                    "--systemd-cgroup is not supported yet: berth manages cgroups through cgroupfs (see README)");
        }
        String rootless = ctx.globals().rootless();
        switch (rootless.toLowerCase(java.util.Locale.ROOT)) {
            case "", "auto", "1", "t", "true", "0", "f", "false" -> { }
            default -> throw BerthException.invalid(
                    "invalid --rootless value " + GoQuote.quote(rootless) + ": use true, false or auto");
        }
    }

    static BerthException later(String flag) {
        return BerthException.invalid(flag + " is not supported yet (see README)");
    }
}
