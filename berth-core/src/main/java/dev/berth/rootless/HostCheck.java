package dev.berth.rootless;

import dev.berth.cgroup.Delegation;
import dev.berth.cgroup.Hierarchy;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * What `berth doctor` checks: everything a rootless container needs from this host. Every file
 * is read below {@code root}, so that tests can stage a host in a directory.
 */
public final class HostCheck {
    /** One finding; {@code fix} is the command that repairs it, null when nothing needs doing. */
    public record Finding(String topic, boolean ok, String detail, String fix) {}

    private final Path root;
    private final long uid;
    private final String user;
    private final String kernelRelease;
    private final Map<String, String> env;
    private final ToIntFunction<Path> owner;

    public HostCheck(Path root, long uid, String user, String kernelRelease, Map<String, String> env) {
        this(root, uid, user, kernelRelease, env, Delegation::ownerOf);
    }

    /** {@code owner} gives a file's owning uid: tests stage a delegation without chown. */
    HostCheck(Path root, long uid, String user, String kernelRelease, Map<String, String> env,
            ToIntFunction<Path> owner) {
        this.root = root;
        this.uid = uid;
        this.user = user;
        this.kernelRelease = kernelRelease;
        this.env = env;
        this.owner = owner;
    }

    /** The checks for the calling user on this host. */
    public static HostCheck forCaller(long uid) {
        return new HostCheck(Path.of("/"), uid, SubIds.userName(uid), System.getProperty("os.version", ""),
                System.getenv());
    }

    public List<Finding> run() {
        List<Finding> out = new ArrayList<>();
        out.add(userNamespaces());
        out.add(subIds("subuid", "/etc/subuid", uid));
        out.add(subIds("subgid", "/etc/subgid", uid));
        out.add(mapTool("newuidmap"));
        out.add(mapTool("newgidmap"));
        out.add(idmappedMounts());
        out.add(cgroups());
        out.add(stateDir());
        return out;
    }

    private Finding userNamespaces() {
        String max = read("proc/sys/user/max_user_namespaces");
        if (max != null && max.equals("0")) {
            return new Finding("user namespaces", false, "user.max_user_namespaces is 0",
                    "sysctl -w user.max_user_namespaces=15000");
        }
        String clone = read("proc/sys/kernel/unprivileged_userns_clone");
        if (clone != null && clone.equals("0")) {
            return new Finding("user namespaces", false, "kernel.unprivileged_userns_clone is 0",
                    "sysctl -w kernel.unprivileged_userns_clone=1");
        }
        String apparmor = read("proc/sys/kernel/apparmor_restrict_unprivileged_userns");
        if (apparmor != null && apparmor.equals("1")) {
            return new Finding("user namespaces", false,
                    "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1)",
                    "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
        }
        return new Finding("user namespaces", true, "allowed" + (max != null ? ", at most " + max : ""), null);
    }

    private Finding subIds(String topic, String file, long id) {
        Path f = root.resolve(file.substring(1));
        List<SubIds.Range> ranges = SubIds.granted(f, user, id);
        String who = user != null ? user : Long.toString(id);
        long total = 0;
        for (SubIds.Range r : ranges) total += r.count();
        if (uid == 0) {
            return new Finding(topic, true, "root maps any ids; " + file + " is not needed", null);
        }
        String fix = "usermod --add-sub" + (topic.equals("subuid") ? "uids" : "gids") + " 100000-165535 " + who
                + "   # as root; pick a range no other user has";
        if (ranges.isEmpty()) {
            return new Finding(topic, false, file + " has no range for " + who
                    + ": only the user's own id can be mapped", fix);
        }
        if (total < 65536) {
            return new Finding(topic, false, file + " grants " + who + " " + total
                    + " ids; images with ids up to 65535 need 65536", fix);
        }
        return new Finding(topic, true, file + " grants " + who + " " + ranges, null);
    }

    private Finding mapTool(String name) {
        for (String dir : new String[] {"usr/bin", "usr/sbin", "bin", "sbin"}) {
            Path p = root.resolve(dir).resolve(name);
            if (!Files.isRegularFile(p)) continue;
            try {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                boolean setuid = (Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) instanceof Integer m)
                        && (m & 04000) != 0;
                if (!a.permissions().contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return new Finding(name, false, "/" + dir + "/" + name + " is not executable by everyone",
                            "chmod 4755 /" + dir + "/" + name);
                }
                if (!setuid || !a.owner().getName().equals("root")) {
                    return new Finding(name, false, "/" + dir + "/" + name
                            + " is not setuid root (fine only if it has file capabilities: getcap /" + dir + "/"
                            + name + ")", "chown root /" + dir + "/" + name + " && chmod u+s /" + dir + "/" + name);
                }
                return new Finding(name, true, "/" + dir + "/" + name + ", setuid root", null);
            } catch (IOException | UnsupportedOperationException e) {
                return new Finding(name, false, "cannot inspect /" + dir + "/" + name + ": " + e.getMessage(), null);
            }
        }
        return new Finding(name, uid == 0, "not installed" + (uid == 0 ? " (root does not need it)"
                : ": maps beyond the user's own id are impossible"), "apt-get install uidmap");
    }

    private Finding idmappedMounts() {
        int[] v = version(kernelRelease);
        boolean ok = v[0] > 5 || (v[0] == 5 && v[1] >= 12);
        return new Finding("idmapped mounts", ok, "kernel " + kernelRelease
                + (ok ? " has mount_setattr(MOUNT_ATTR_IDMAP)" : " is older than 5.12: no idmapped mounts"),
                ok ? null : "boot a kernel 5.12 or later");
    }

    private Finding cgroups() {
        if (uid == 0) return new Finding("cgroups", true, "root creates cgroups", null);
        if (!Files.isRegularFile(root.resolve("sys/fs/cgroup/cgroup.controllers"))) {
            return new Finding("cgroups", false, "no cgroup v2 hierarchy at /sys/fs/cgroup: rootless containers "
                    + "get no cgroup and no resource limits", "boot with systemd.unified_cgroup_hierarchy=1 "
                    + "(kernel command line), then delegate a subtree to the user");
        }
        String own = null;
        String self = read("proc/self/cgroup");
        if (self != null) {
            for (String line : self.split("\n")) {
                if (line.startsWith("0::")) own = line.substring(3);
            }
        }
        if (own == null) return new Finding("cgroups", false, "this process is in no cgroup v2 group", null);
        // The same rule create applies (Delegation), so that doctor's verdict is berth's.
        Hierarchy unified = new Hierarchy("", root.resolve("sys/fs/cgroup"), "/", true);
        String subtree = Delegation.subtree(unified, own, (int) uid, owner);
        if (subtree == null) {
            Path dir = unified.dirOf(own);
            return new Finding("cgroups", false, "the cgroup " + own + " is not delegated to uid " + uid
                    + ": its directory, cgroup.procs, cgroup.subtree_control and cgroup.threads must be the user's",
                    "as root: chown " + uid + " " + dir + " " + dir + "/cgroup.procs " + dir + "/cgroup.subtree_control "
                            + dir + "/cgroup.threads   # or start berth from systemd-run --user --scope -p Delegate=yes");
        }
        String controllers = read(root.relativize(unified.dirOf(subtree).resolve("cgroup.controllers")).toString());
        return new Finding("cgroups", true, "cgroup v2 subtree " + subtree + " is delegated (controllers: "
                + (controllers == null || controllers.isEmpty() ? "none" : controllers)
                + "); containers' cgroups go below it", null);
    }

    private Finding stateDir() {
        if (uid == 0) return new Finding("state directory", true, "/run/berth", null);
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg == null || xdg.isEmpty()) {
            return new Finding("state directory", false, "XDG_RUNTIME_DIR is not set: give berth --root DIR",
                    "export XDG_RUNTIME_DIR=/run/user/" + uid + "   # or log in through a session that sets it");
        }
        Path p = Path.of(xdg);
        if (!Files.isDirectory(p) || !Files.isWritable(p)) {
            return new Finding("state directory", false, xdg + " (XDG_RUNTIME_DIR) is not a writable directory",
                    "mkdir -m 0700 -p " + xdg);
        }
        return new Finding("state directory", true, xdg + "/berth", null);
    }

    /**
     * One read with a large buffer: Files.readString sizes its first read by the file's length,
     * which is 0 for /proc/sys, and such files give only that first read's bytes.
     */
    private String read(String rel) {
        try (FileInputStream in = new FileInputStream(root.resolve(rel).toFile())) {
            return new String(in.readNBytes(65536), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }

    static int[] version(String release) {
        int[] v = new int[2];
        int part = 0;
        for (int i = 0; i < release.length() && part < 2; i++) {
            char c = release.charAt(i);
            if (c >= '0' && c <= '9') {
                v[part] = v[part] * 10 + (c - '0');
            } else if (c == '.') {
                part++;
            } else {
                break;
            }
        }
        return v;
    }
}
