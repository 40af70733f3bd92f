package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.spec.Mount;
import dev.berth.sys.ProcessInfo;
import dev.berth.sys.Sys;
import dev.berth.sys.UnixSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * sd_notify through the container, as runc does it: the container gets a datagram socket of its
 * own (the state directory's notify/notify.sock, bound read-only at /run/notify, NOTIFY_SOCKET
 * pointing there), and berth relays its READY=1 to the caller's NOTIFY_SOCKET followed by
 * MAINPID=<the init's PID>, so that a systemd unit of Type=notify watches the container's init.
 */
final class NotifyRelay implements AutoCloseable {
    static final String DIR_IN_CONTAINER = "/run/notify";
    static final String SOCKET_IN_CONTAINER = DIR_IN_CONTAINER + "/notify.sock";
    static final String DIR = "notify";

    private final int fd;
    private final Path host;

    private NotifyRelay(int fd, Path host) {
        this.fd = fd;
        this.host = host;
    }

    /** The bind mount that shows the container its socket directory. */
    static Mount mount(Path dir) {
        return new Mount(DIR_IN_CONTAINER, "bind", dir.toString(), List.of("bind", "nosuid", "noexec", "nodev", "ro"),
                List.of(), List.of());
    }

    /** Binds the container's socket in {@code dir} anew (a socket from create is gone with create). */
    static NotifyRelay bind(Path dir, Path host) {
        return new NotifyRelay(UnixSocket.bindDatagram(dir, "notify.sock"), host);
    }

    /**
     * Relays until the container says READY=1 (true) or its init is gone (false). Only the ready
     * message goes on, as with runc; STATUS= and the like stay in the container.
     */
    boolean relay(int initPid, long initStart) {
        while (ProcessInfo.isAlive(initPid, initStart)) {
            byte[] b = UnixSocket.receiveWithin("receive from the container's notify socket", fd, 4096, 100);
            if (b == null) continue;
            String msg = new String(b, StandardCharsets.UTF_8);
            if (!isReady(msg)) continue;
            try {
                UnixSocket.sendTo(host.toString(), "READY=1\n".getBytes(StandardCharsets.UTF_8));
                UnixSocket.sendTo(host.toString(), ("MAINPID=" + initPid + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (BerthException e) {
                throw e.within("relay READY=1 to NOTIFY_SOCKET " + host);
            }
            return true;
        }
        return false;
    }

    private static boolean isReady(String msg) {
        int from = 0;
        while (from <= msg.length()) {
            int nl = msg.indexOf('\n', from);
            String line = msg.substring(from, nl < 0 ? msg.length() : nl);
            if (line.equals("READY=1")) return true;
            if (nl < 0) return false;
            from = nl + 1;
        }
        return false;
    }

    @Override
    public void close() {
        Sys.close(fd);
    }
}
