package dev.berth.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Host-side network helpers for the netns tests: HTTP from the host over loopback only, free
 * ports, and undoing exactly the iptables rules a test's CNI plugins added.
 */
public final class NetHost {
    private NetHost() {
    }

    /** A TCP port of 127.0.0.1 free right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** GET http://127.0.0.1:PORT/ until it answers 200 or {@code limit} passes; the body. */
    public static String get(int port, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL()
                        .openConnection(java.net.Proxy.NO_PROXY);
                c.setConnectTimeout(2000);
                c.setReadTimeout(2000);
                try (InputStream in = c.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } finally {
                    c.disconnect();
                }
            } catch (IOException e) {
                last = e.toString();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("nothing answered on 127.0.0.1:" + port + " within " + limit.toSeconds() + " s: " + last);
    }

    /** A /24 of 10.86.0.0/16 that no host route uses, as "10.86.N". */
    public static String freeSubnetPrefix() {
        String routes = Host.sh("ip -4 route show").stdout();
        for (int i = 0; i < 50; i++) {
            String p = "10.86." + ThreadLocalRandom.current().nextInt(1, 255);
            if (!routes.contains(p + ".")) return p;
        }
        throw new AssertionError("no free 10.86.N.0/24 subnet");
    }

    /** A unique interface name (at most 15 characters). */
    public static String bridgeName() {
        return "bitbr" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
    }

    /** Every line iptables-save prints now, with its table: "nat|-A POSTROUTING ...". */
    public static Set<String> iptables() {
        Set<String> lines = new LinkedHashSet<>();
        String table = "";
        for (String l : Host.sh("iptables-save").stdout().split("\n")) {
            if (l.startsWith("*")) table = l.substring(1);
            else if (l.startsWith("-A ") || l.startsWith(":")) lines.add(table + "|" + l);
        }
        return lines;
    }

    /**
     * Removes the rules and chains added since {@code before} that are CNI's ("CNI-" chains and
     * rules jumping to them) or mention one of {@code mentions}: what the test's plugins made,
     * never another program's rules.
     */
    public static void undoIptables(Set<String> before, String... mentions) {
        List<String> rules = new ArrayList<>();
        List<String> chains = new ArrayList<>();
        for (String l : iptables()) {
            if (before.contains(l) || !ours(l, mentions)) continue;
            String table = l.substring(0, l.indexOf('|'));
            String rule = l.substring(l.indexOf('|') + 1);
            if (rule.startsWith("-A ")) rules.add("iptables -w -t " + table + " -D " + rule.substring(3));
            else chains.add(table + " " + rule.substring(1, rule.indexOf(' ')));
        }
        for (String r : rules) Host.trySh(r);
        for (String c : chains) {
            String[] tc = c.split(" ");
            Host.trySh("iptables -w -t " + tc[0] + " -F " + tc[1] + "; iptables -w -t " + tc[0] + " -X " + tc[1]);
        }
    }

    private static boolean ours(String line, String... mentions) {
        if (line.contains("CNI-") || line.contains("CNI firewall") || line.contains("CNI portfwd")) return true;
        for (String m : mentions) if (line.contains(m)) return true;
        return false;
    }

    /** The iptables lines (any table) that contain {@code text}. */
    public static List<String> rulesMentioning(String text) {
        List<String> out = new ArrayList<>();
        for (String l : iptables()) if (l.contains(text)) out.add(l);
        return out;
    }

    /**
     * Unprivileged slirp4netns and pasta open /dev/net/tun, which Debian's udev makes 0666; a host
     * without udev may have 0600. Returns the mode to restore, or null when nothing changed.
     */
    public static String openTunForUsers() {
        Path tun = Path.of("/dev/net/tun");
        if (!Files.exists(tun)) return null;
        String mode = Host.sh("stat -c %a " + tun).stdout().strip();
        if (mode.equals("666")) return null;
        Host.sh("chmod 0666 " + tun);
        return mode;
    }

    public static void restoreTun(String mode) {
        if (mode != null && mode.matches("[0-7]{3,4}")) Host.trySh("chmod " + mode + " /dev/net/tun");
    }

    /** Fails the test unless 127.0.0.1:{@code port} can be bound: nothing holds it any more. */
    public static void freePortCheck(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new AssertionError("127.0.0.1:" + port + " is still held after delete: " + e);
        }
    }
}
