package dev.berth.net;

import dev.berth.api.BerthException;
import java.util.List;

/** --dns: the name servers of the resolv.conf a namespace's containers get. */
final class Dns {
    private Dns() {}

    static void check(String server) {
        if (PortMapping.isIpv4(server) || isIpv6(server)) return;
        throw BerthException.invalid("--dns " + server + ": not an IPv4 or IPv6 address");
    }

    private static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0 || s.length() > 45) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
                    || c == '.';
            if (!ok) return false;
        }
        return true;
    }

    static String resolvConf(List<String> servers) {
        StringBuilder sb = new StringBuilder("# written by berth netns add --dns\n");
        for (String s : servers) sb.append("nameserver ").append(s).append('\n');
        return sb.toString();
    }
}
