package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's scratch space: one directory per test JVM under the system temp directory, removed
 * at exit, and the busybox root file system template every bundle is made from.
 */
public final class Workspace {
    private static Path base;
    private static Path template;
    private static List<String> applets;

    private Workspace() {
    }

    /** /tmp/berth-it-PID, created on first use and removed when the JVM exits. */
    public static synchronized Path base() {
        if (base == null) {
            try {
                Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                base = Files.createDirectories(tmp.resolve("berth-it-" + ProcessHandle.current().pid()));
                Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
                Path b = base;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Host.removeTree(b)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return base;
    }

    /** Debian's statically linked busybox (package busybox-static). */
    public static Path busybox() {
        for (String p : List.of("/bin/busybox", "/usr/bin/busybox")) {
            Path b = Path.of(p);
            if (Files.isExecutable(b)) return b;
        }
        throw new IllegalStateException("no /bin/busybox: apt-get install -y busybox-static");
    }

    /** A directory holding bin/busybox, copied once; bundles hard-link it from here. */
    static synchronized Path template() {
        if (template == null) {
            try {
                Path t = Files.createDirectories(base().resolve("template/bin"));
                Path bb = t.resolve("busybox");
                Files.copy(busybox(), bb);
                Result r = Exec.of(bb.toString(), "--list").scratch(base()).run().assertOk();
                List<String> names = new ArrayList<>();
                for (String line : r.stdout().split("\n")) {
                    String n = line.strip();
                    if (!n.isEmpty() && !n.equals("busybox") && !n.contains("/")) names.add(n);
                }
                if (!names.contains("sh")) throw new IllegalStateException(busybox() + " has no sh applet");
                applets = names;
                template = t.getParent();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return template;
    }

    /** Populates {@code rootfs} with busybox, a symlink per applet, /etc/passwd and /etc/group. */
    static void makeRootfs(Path rootfs) throws IOException {
        Path t = template();
        for (String d : List.of("bin", "etc", "tmp", "proc", "sys", "dev", "root", "home")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.setPosixFilePermissions(rootfs.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Path bb = rootfs.resolve("bin/busybox");
        try {
            Files.createLink(bb, t.resolve("bin/busybox"));
        } catch (IOException | UnsupportedOperationException crossDevice) {
            Files.copy(t.resolve("bin/busybox"), bb);
        }
        for (String a : applets) {
            Path link = rootfs.resolve("bin").resolve(a);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                tester:x:1000:1000:tester:/home:/bin/sh
                nobody:x:65534:65534:nobody:/:/bin/false
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                tester:x:1000:
                nogroup:x:65534:
                """);
    }
}
