package dev.berth.cgroup;

import dev.berth.api.BerthException;
import java.util.ArrayList;
import java.util.List;

/**
 * linux.cgroupsPath as the cgroupfs driver takes it. Cleaned as runc's CleanPath does, so that
 * ".." can never climb above a hierarchy's root (or, for a relative path, above berth's own
 * cgroup); the systemd form "slice:prefix:name" is refused with the flag it would need.
 */
public final class CgroupPath {
    private CgroupPath() {}

    /** The cleaned path; relative paths stay relative. */
    public static String check(String path) {
        if (isSystemdForm(path)) {
            throw BerthException.invalid("config.json: linux.cgroupsPath: \"" + path + "\" is systemd's"
                    + " slice:prefix:name form, which needs --systemd-cgroup; berth has only the cgroupfs driver");
        }
        boolean absolute = path.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (!parts.isEmpty()) parts.remove(parts.size() - 1);
                continue;
            }
            parts.add(p);
        }
        String joined = String.join("/", parts);
        if (!absolute && joined.isEmpty()) {
            throw BerthException.invalid("config.json: linux.cgroupsPath: \"" + path + "\" names no cgroup below berth's own");
        }
        return absolute ? "/" + joined : joined;
    }

    /** "system.slice:docker:abc": three parts, no slash before the first colon. */
    static boolean isSystemdForm(String path) {
        int first = path.indexOf(':');
        if (first < 0) return false;
        int second = path.indexOf(':', first + 1);
        return second > 0 && path.indexOf(':', second + 1) < 0 && path.lastIndexOf('/', first) < 0;
    }
}
