package dev.berth.net;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Refuses, before anything is created, a host port that something else holds. slirp4netns and
 * pasta would fail with less clear words, and CNI's portmap would not fail at all: its DNAT rule
 * would quietly take the port's traffic away from the program listening on it.
 */
final class PortCheck {
    private PortCheck() {}

    static void free(List<PortMapping> ports) {
        for (int i = 0; i < ports.size(); i++) {
            PortMapping p = ports.get(i);
            for (int j = 0; j < i; j++) {
                PortMapping q = ports.get(j);
                if (q.hostPort() == p.hostPort() && q.protocol().equals(p.protocol())) {
                    throw BerthException.invalid("-p " + p + ": host port " + p.hostPort() + "/" + p.protocol()
                            + " is given twice");
                }
            }
            try {
                InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(p.hostIp()), p.hostPort());
                if (p.protocol().equals("udp")) {
                    try (DatagramSocket s = new DatagramSocket(at)) {
                        s.getLocalPort();
                    }
                } else {
                    try (ServerSocket s = new ServerSocket()) {
                        s.bind(at);
                    }
                }
            } catch (IOException e) {
                throw BerthException.invalid("-p " + p + ": port " + p.hostPort() + "/" + p.protocol() + " on "
                        + p.hostIp() + " is in use (" + e.getMessage() + ")");
            }
        }
    }
}
