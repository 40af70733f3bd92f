package dev.berth.net;

import dev.berth.api.BerthException;

/**
 * One {@code -p HOSTPORT:CONTAINERPORT[/tcp|udp]}: a port of the host, bound to {@code hostIp}
 * (127.0.0.1 unless the flag names an address first, as in {@code 0.0.0.0:8080:80}), forwarded
 * to a port of the namespace.
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    public static final String LOOPBACK = "127.0.0.1";

    /** Parses the flag's value; errors name the flag and the value. */
    public static PortMapping parse(String spec) {
        String rest = spec;
        String protocol = "tcp";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            protocol = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
            if (!protocol.equals("tcp") && !protocol.equals("udp")) throw bad(spec, "the protocol must be tcp or udp");
        }
        int last = rest.lastIndexOf(':');
        if (last < 0) throw bad(spec, "expected HOSTPORT:CONTAINERPORT[/tcp|udp]");
        String host = rest.substring(0, last);
        String ip = LOOPBACK;
        int first = host.lastIndexOf(':');
        if (first >= 0) {
            ip = host.substring(0, first);
            host = host.substring(first + 1);
            if (!isIpv4(ip)) throw bad(spec, "\"" + ip + "\" is not an IPv4 address");
        }
        return new PortMapping(ip, port(spec, host), port(spec, rest.substring(last + 1)), protocol);
    }

    private static int port(String spec, String s) {
        int n = -1;
        if (!s.isEmpty() && s.length() <= 5) {
            n = 0;
            for (int i = 0; i < s.length() && n >= 0; i++) {
                char c = s.charAt(i);
                n = c >= '0' && c <= '9' ? n * 10 + (c - '0') : -1;
            }
        }
        if (n < 1 || n > 65535) throw bad(spec, "\"" + s + "\" is not a port number (1-65535)");
        return n;
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) return false;
            for (int i = 0; i < p.length(); i++) if (p.charAt(i) < '0' || p.charAt(i) > '9') return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    private static BerthException bad(String spec, String why) {
        return BerthException.invalid("-p " + spec + ": " + why);
    }

    /** The flag's form, for listings: 127.0.0.1:8080:80/tcp. */
    @Override
    public String toString() {
        return hostIp + ":" + hostPort + ":" + containerPort + "/" + protocol;
    }
}
