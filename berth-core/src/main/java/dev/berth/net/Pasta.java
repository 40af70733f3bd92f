package dev.berth.net;

import dev.berth.sys.Subprocess;
import dev.berth.api.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * pasta (Debian package passt) attached to a namespace: it copies the host's address and routes
 * into it and forwards the ports -p asks for, bound on the host to the given address. It puts
 * itself in the background once it is set up, so its exit status tells whether setup worked,
 * and it writes the daemon's PID to a file.
 */
final class Pasta {
    static final String PID_FILE = "pasta.pid";
    private static final int SETUP_TIMEOUT = 20;

    private Pasta() {}

    static int start(NetnsRecord r, Path dir, List<PortMapping> ports) {
        String path = Program.require("pasta", "passt");
        Path pidFile = dir.resolve(PID_FILE);
        List<String> argv = new ArrayList<>(List.of("pasta", "--config-net", "--quiet", "--pid", pidFile.toString()));
        forwards(argv, ports, "tcp", "-t");
        forwards(argv, ports, "udp", "-u");
        // No forwarding from the namespace to the host's own ports.
        argv.addAll(List.of("-T", "none", "-U", "none"));
        if (r.userns() != null) argv.addAll(List.of("--userns", r.userns()));
        // Started by root, pasta would switch to nobody first, who cannot enter /run/netns/NAME.
        else argv.addAll(List.of("--runas", "0"));
        argv.addAll(List.of("--netns", r.path()));
        Subprocess.Outcome o = Program.run("start pasta", path, argv, List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), "",
                SETUP_TIMEOUT);
        if (o.status() != 0) {
            throw new BerthException(BerthException.Kind.SYSTEM, "pasta failed (exit status " + o.status() + "): "
                    + o.says());
        }
        try {
            return Integer.parseInt(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "pasta started but its PID file " + pidFile
                    + " is unreadable: " + e.getMessage() + "; its output: " + o.says());
        }
    }

    /**
     * One option per forward (ADDR/HOST:CONTAINER), or "none": pasta's default, "auto", would
     * forward every port a program in the namespace binds, on every host address.
     */
    static void forwards(List<String> argv, List<PortMapping> ports, String protocol, String option) {
        boolean any = false;
        for (PortMapping p : ports) {
            if (!p.protocol().equals(protocol)) continue;
            argv.add(option);
            argv.add(p.hostIp() + "/" + p.hostPort() + ":" + p.containerPort());
            any = true;
        }
        if (!any) argv.addAll(List.of(option, "none"));
    }
}
