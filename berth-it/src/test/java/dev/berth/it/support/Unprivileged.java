package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The unprivileged user the rootless tests run the runtime as: "berthit", created on first use
 * (as root) with a 65536-id range in /etc/subuid and /etc/subgid.
 */
public final class Unprivileged {
    public static final String NAME = "berthit";
    private static long uid = -1, gid, subStart;

    private Unprivileged() {
    }

    /** Creates the user if needed; returns false (with nothing changed) when not root. */
    public static synchronized boolean ensure() {
        if (!Host.isRoot()) return false;
        if (uid < 0) {
            if (Host.trySh("id -u " + NAME).exit() != 0) Host.sh("useradd --no-create-home --shell /bin/sh " + NAME);
            if (grant("/etc/subuid") < 0 || grant("/etc/subgid") < 0) {
                Host.sh("usermod --add-subuids 400000-465535 --add-subgids 400000-465535 " + NAME);
            }
            uid = Long.parseLong(Host.sh("id -u " + NAME).stdout().strip());
            gid = Long.parseLong(Host.sh("id -g " + NAME).stdout().strip());
            subStart = grant("/etc/subuid");
            if (grant("/etc/subgid") != subStart) {
                throw new IllegalStateException(NAME + " has different subuid and subgid ranges; the tests expect one");
            }
        }
        return true;
    }

    /** The first id of the user's 65536-id range in {@code file}, or -1. */
    private static long grant(String file) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] f = line.split(":");
                if (f.length == 3 && f[0].equals(NAME) && Long.parseLong(f[2]) >= 65536) return Long.parseLong(f[1]);
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    public static long uid() {
        return uid;
    }

    public static long gid() {
        return gid;
    }

    /** The first host id of the user's subordinate range. */
    public static long subStart() {
        return subStart;
    }

    /** {@code argv} run as the user, with XDG_RUNTIME_DIR set to {@code runtimeDir}. */
    public static List<String> as(Path runtimeDir, List<String> argv) {
        List<String> a = new ArrayList<>(List.of("runuser", "-u", NAME, "--", "env", "XDG_RUNTIME_DIR=" + runtimeDir));
        a.addAll(argv);
        return a;
    }

    /**
     * Hands {@code paths} (recursively) to the user. Files hard-linked elsewhere (every bundle's
     * busybox is a link to the workspace template's) are copied first: chown on a shared inode
     * would hand every later bundle's busybox to the user too, and break tests that check its owner.
     */
    public static void own(Path... paths) {
        for (Path p : paths) {
            try {
                if (!Files.exists(p)) Files.createFile(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Host.sh("find '" + p + "' -type f -links +1 -exec sh -c 'cp -p \"$1\" \"$1.own\" && mv -f \"$1.own\" \"$1\"' _ {} \\;");
            Host.sh("chown -R " + NAME + ": '" + p + "'");
        }
    }
}
