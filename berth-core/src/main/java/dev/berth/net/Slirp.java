package dev.berth.net;

import dev.berth.api.BerthException;
import dev.berth.json.Json;
import dev.berth.sys.Sys;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * slirp4netns attached to a namespace: a tap device "tap0" with 10.0.2.100/24, the gateway
 * 10.0.2.2, DNS at 10.0.2.3, and user-mode NAT out. Port forwards are asked for through its API
 * socket, each bound on the host to the address -p gives (127.0.0.1 by default).
 */
final class Slirp {
    static final String LOG = "slirp4netns.log";
    private static final int READY_TIMEOUT_MS = 10_000;

    private Slirp() {}

    /** Starts it and adds the forwards; returns its PID. Killed again if anything fails. */
    static int start(NetnsRecord r, Path dir, List<PortMapping> ports) {
        String path = Program.require("slirp4netns", "slirp4netns");
        // A unix socket path has at most 107 bytes, which a state directory can exceed: the API
        // socket is needed only here, so it lives briefly in /tmp.
        Path api = Path.of("/tmp", "berth-slirp-" + Sys.getpid() + "-" + System.nanoTime() + ".sock");
        int[] ready = Sys.pipe("pipe for slirp4netns", Sys.O_CLOEXEC);
        List<String> argv = new ArrayList<>(List.of("slirp4netns", "--configure", "--mtu=65520",
                "--disable-host-loopback", "--api-socket", api.toString(), "--ready-fd=3"));
        if (r.userns() != null) argv.add("--userns-path=" + r.userns());
        argv.addAll(List.of("--netns-type=path", r.path(), "tap0"));
        int pid;
        try {
            pid = Program.startDaemon("start slirp4netns", path, argv, dir.resolve(LOG), new int[][] {{ready[1], 3}});
        } finally {
            Sys.close(ready[1]);
        }
        try {
            awaitReady(ready[0], pid, dir.resolve(LOG));
            for (PortMapping p : ports) addForward(api, p);
            return pid;
        } catch (RuntimeException e) {
            Sys.signal(pid, 0, 9);
            Sys.waitpid(pid, 0);
            throw e;
        } finally {
            Sys.close(ready[0]);
            try {
                Files.deleteIfExists(api);
            } catch (IOException ignored) {
                // /tmp is cleaned anyway; the error that matters is thrown above
            }
        }
    }

    /** slirp4netns writes "1" to --ready-fd once the tap device is configured. */
    private static void awaitReady(int fd, int pid, Path log) {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        long flags = Sys.call("fcntl F_GETFL", Sys.Nr.FCNTL, fd, 3, 0);
        Sys.call("fcntl F_SETFL", Sys.Nr.FCNTL, fd, 4, flags | Sys.O_NONBLOCK);
        while (System.currentTimeMillis() < deadline) {
            byte[] b = Sys.read("read slirp4netns's ready fd", fd, 16);
            if (b != null && b.length > 0) return;
            if (b != null || Sys.waitpid(pid, Sys.WNOHANG) != -1) {
                throw new BerthException(BerthException.Kind.SYSTEM, "slirp4netns exited at start: " + tail(log));
            }
            sleep(5);
        }
        throw new BerthException(BerthException.Kind.SYSTEM, "slirp4netns was not ready after "
                + READY_TIMEOUT_MS / 1000 + " s: " + tail(log));
    }

    private static void addForward(Path api, PortMapping p) {
        Map<String, Object> args = Map.of("proto", p.protocol(), "host_addr", p.hostIp(), "host_port", (long) p.hostPort(),
                "guest_port", (long) p.containerPort());
        String request = Json.write(Map.of("execute", "add_hostfwd", "arguments", args), false);
        String reply;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(api));
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf) >= 0 && buf.hasRemaining()) {
                // until slirp4netns closes the connection
            }
            reply = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "-p " + p + ": slirp4netns API " + api + ": " + e, 0, e);
        }
        if (!reply.contains("\"return\"")) {
            throw new BerthException(BerthException.Kind.SYSTEM, "-p " + p + ": slirp4netns refused the forward: " + reply);
        }
    }

    static String tail(Path log) {
        try {
            String s = Files.exists(log) ? Files.readString(log).strip() : "";
            return s.isEmpty() ? "(no output)" : s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
