package dev.berth.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Which sysctls a container may set, by runc's rules (libcontainer/configs/validate): /proc/sys
 * is only partly namespaced, and writing a sysctl that is not would change the host.
 */
public final class SysctlRules {
    private SysctlRules() {}

    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    /**
     * The dotted form of a sysctl name. sysctl.d(5) also accepts "/" as the separator, in which
     * case dots are part of a component (net/ipv4/conf/eth0.100/rp_filter); in the dotted form
     * such a dot becomes "/" (net.ipv4.conf.eth0/100.rp_filter), so the two swap.
     */
    public static String dotted(String name) {
        int sep = indexOfAny(name);
        if (sep < 0 || name.charAt(sep) == '.') return name;
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.toCharArray()) sb.append(c == '/' ? '.' : c == '.' ? '/' : c);
        return sb.toString();
    }

    /**
     * Why {@code name} may not be set in a container with these namespaces, or null if it may.
     * The message completes "linux.sysctl["name"]: ...".
     */
    static String refusal(String name, LinuxSpec linux) {
        String s = dotted(name);
        if (!wellFormed(s)) return "is not a valid sysctl name";
        if (IPC_SYSCTLS.contains(s) || s.startsWith("fs.mqueue.")) {
            if (!linux.has(NamespaceType.IPC)) return "is not allowed without an IPC namespace";
            return linux.joinedOutsideNewUserNamespace(NamespaceType.IPC) ? NOT_OWNED : null;
        }
        if (s.startsWith("net.")) {
            if (hostNetwork(linux)) return "is not allowed in the host's network namespace";
            return linux.joinedOutsideNewUserNamespace(NamespaceType.NETWORK) ? NOT_OWNED : null;
        }
        if (linux.has(NamespaceType.UTS)) {
            if (s.equals("kernel.domainname")) return null;
            if (s.equals("kernel.hostname")) return "conflicts with the \"hostname\" field; set that instead";
        }
        if (s.startsWith("user.")) {
            return linux.has(NamespaceType.USER) ? null : "is not allowed without a user namespace";
        }
        return "is not namespaced, so setting it would change the host";
    }

    private static final String NOT_OWNED = "cannot be set: its namespace is joined by path and the user "
            + "namespace is new, so the container has no rights in it";

    /** Components separated by dots, none empty, none "." or ".." once dots become slashes. */
    private static boolean wellFormed(String s) {
        if (s.isEmpty()) return false;
        for (String part : s.split("\\.", -1)) {
            if (part.isEmpty()) return false;
            for (String sub : part.split("/", -1)) {
                if (sub.isEmpty() || sub.equals(".") || sub.equals("..")) return false;
            }
        }
        return true;
    }

    /** True when the container would share this process's network namespace ("host" = current). */
    private static boolean hostNetwork(LinuxSpec linux) {
        Namespace net = linux.namespace(NamespaceType.NETWORK);
        if (net == null) return true;
        if (net.isNew()) return false;
        try {
            return Files.isSameFile(Path.of(net.path()), Path.of("/proc/self/ns/net"));
        } catch (IOException e) {
            return false;
        }
    }

    private static int indexOfAny(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.' || s.charAt(i) == '/') return i;
        }
        return -1;
    }
}
