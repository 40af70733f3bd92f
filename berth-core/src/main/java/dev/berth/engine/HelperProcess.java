package dev.berth.engine;

import dev.berth.plan.Protocol;
import dev.berth.sys.HelperImage;
import dev.berth.sys.Spawn;
import dev.berth.sys.Sys;
import java.util.List;

/** A running berth-init and the parent's end of its socket. */
record HelperProcess(int pid, HelperChannel channel) {
    private static final int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 02000000;
    private static final int F_DUPFD_CLOEXEC = 1030;

    /**
     * Spawns berth-init with its socket at BERTH_FD_SYNC, {@code fd4} (exec.fifo or the init's
     * pidfd, -1 for none) at 4, and descriptors 3 to 3+passedFds-1 of this process at
     * BERTH_FD_PRESERVED and up, for the container's process. Nothing else reaches it.
     */
    static HelperProcess spawn(int fd4, int passedFds) {
        int image = HelperImage.open();
        int[] sock = null;
        int[][] fds = new int[2 + passedFds][];
        int n = 0;
        try {
            sock = Sys.socketpair("socketpair", AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC);
            // Copies above every target number, so that one dup2 can never clobber another's source.
            int above = Math.max(10, Protocol.BERTH_FD_PRESERVED + passedFds);
            fds[n++] = new int[] {high(sock[1], above), Protocol.BERTH_FD_SYNC};
            if (fd4 >= 0) fds[n++] = new int[] {high(fd4, above), Protocol.BERTH_FD_FIFO};
            for (int i = 0; i < passedFds; i++) {
                fds[n++] = new int[] {high(3 + i, above), Protocol.BERTH_FD_PRESERVED + i};
            }
            int[][] pairs = new int[n][];
            System.arraycopy(fds, 0, pairs, 0, n);
            int pid = Spawn.spawn(HelperImage.path(image), List.of("berth-init"), List.of(), pairs);
            return new HelperProcess(pid, new HelperChannel(sock[0]));
        } catch (RuntimeException e) {
            if (sock != null) Sys.close(sock[0]);
            throw e;
        } finally {
            for (int i = 0; i < n; i++) Sys.close(fds[i][0]);
            Sys.close(image);
            if (sock != null) Sys.close(sock[1]);
        }
    }

    private static int high(int fd, int above) {
        return (int) Sys.call("pass descriptor " + fd, Sys.Nr.FCNTL, fd, F_DUPFD_CLOEXEC, above);
    }
}
