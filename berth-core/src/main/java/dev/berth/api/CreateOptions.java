package dev.berth.api;

import java.nio.file.Path;

/**
 * Options of `create` and `run` beyond the bundle.
 *
 * @param pidFile where to write the init's PID, or null
 * @param noPivot use MS_MOVE + chroot instead of pivot_root (for a rootfs on a ramdisk)
 * @param consoleSocket with {@code process.terminal}: the AF_UNIX socket that receives the
 *     master of the container's pty (runc's docs/terminals.md); null otherwise
 * @param listenFds socket-activation descriptors (systemd's LISTEN_FDS): descriptors 3 to
 *     3+listenFds-1 of the calling process reach the process at the same numbers, which gets
 *     {@code LISTEN_FDS=listenFds} and {@code LISTEN_PID=1}
 * @param preserveFds further descriptors of the calling process, those after the listen ones,
 *     passed at the same numbers (runc's --preserve-fds)
 * @param notifySocket the caller's sd_notify socket (NOTIFY_SOCKET), or null: the container gets
 *     a socket of its own at /run/notify/notify.sock, and its READY=1 is relayed here with the
 *     init's MAINPID
 */
public record CreateOptions(Path pidFile, boolean noPivot, Path consoleSocket, int listenFds, int preserveFds,
        Path notifySocket) {
    public static final CreateOptions DEFAULT = new CreateOptions(null, false);

    public CreateOptions {
        if (listenFds < 0 || preserveFds < 0) throw BerthException.invalid("descriptor counts must not be negative");
    }

    public CreateOptions(Path pidFile, boolean noPivot) {
        this(pidFile, noPivot, null, 0, 0, null);
    }

    /** Every descriptor passed on from 3 up: the listen ones, then the preserved ones. */
    public int passedFds() {
        return listenFds + preserveFds;
    }
}
