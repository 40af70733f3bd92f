package dev.berth.net;

import dev.berth.api.BerthException;
import dev.berth.sys.Errno;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Root's named network namespaces, made the way {@code ip netns add} makes them, so that both
 * tools see and can delete the same ones: /run/netns is a shared mount point, and each namespace
 * is a bind mount of a fresh /proc/thread-self/ns/net on an empty file /run/netns/NAME.
 */
final class RootNetns {
    static final Path RUN_DIR = Path.of("/run/netns");

    private RootNetns() {}

    static Path path(String name) {
        return RUN_DIR.resolve(name);
    }

    static boolean exists(String name) {
        return Files.exists(path(name));
    }

    /** The names in /run/netns, whoever made them, sorted. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(RUN_DIR)) return names;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(RUN_DIR)) {
            for (Path p : ds) names.add(p.getFileName().toString());
        } catch (IOException e) {
            throw NetnsStore.io("list " + RUN_DIR, e);
        }
        names.sort(null);
        return names;
    }

    static void create(String name) {
        prepareRunDir();
        Path file = path(name);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("---------")));
        } catch (FileAlreadyExistsException e) {
            throw NetnsStore.exists(name);
        } catch (IOException e) {
            throw NetnsStore.io("create " + file, e);
        }
        try {
            bindNewNamespace(file.toString());
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the error that matters is the one thrown
            }
            throw e;
        }
    }

    /**
     * A network namespace belongs to a thread, so a short-lived thread of its own unshares one and
     * binds it onto the file; the JVM's other threads never leave the host's namespace.
     */
    private static void bindNewNamespace(String target) {
        AtomicLong result = new AtomicLong();
        String[] step = {""};
        Thread t = Thread.ofPlatform().name("berth-netns").unstarted(new Runnable() {
            @Override
            public void run() {
                long r = NsSyscalls.unshare(NsSyscalls.CLONE_NEWNET);
                step[0] = "create a network namespace";
                if (r == 0) {
                    step[0] = "bind the network namespace onto " + target;
                    r = NsSyscalls.mount("/proc/thread-self/ns/net", target, "none", NsSyscalls.MS_BIND);
                }
                result.set(r);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(BerthException.Kind.SYSTEM, "interrupted while creating " + target);
        }
        if (result.get() < 0) {
            int errno = (int) -result.get();
            throw new BerthException(BerthException.Kind.SYSTEM, step[0] + ": " + Errno.describe(errno), errno, null);
        }
    }

    /**
     * As ip does: /run/netns becomes a shared mount (bound onto itself first if it is not a mount
     * point), so that namespaces added later show in every mount namespace that sees it.
     */
    private static void prepareRunDir() {
        try {
            Files.createDirectories(RUN_DIR);
        } catch (IOException e) {
            throw NetnsStore.io("create " + RUN_DIR, e);
        }
        String dir = RUN_DIR.toString();
        long r = NsSyscalls.mount("none", dir, "none", NsSyscalls.MS_SHARED | NsSyscalls.MS_REC);
        if (r == -NsSyscalls.EINVAL) {
            r = NsSyscalls.mount(dir, dir, "none", NsSyscalls.MS_BIND | NsSyscalls.MS_REC);
            if (r == 0) r = NsSyscalls.mount("none", dir, "none", NsSyscalls.MS_SHARED | NsSyscalls.MS_REC);
        }
        if (r < 0) {
            throw new BerthException(BerthException.Kind.SYSTEM,
                    "make " + dir + " a shared mount: " + Errno.describe((int) -r), (int) -r, null);
        }
    }

    /** Unmounts and removes /run/netns/NAME as {@code ip netns delete} does. */
    static void delete(String name) {
        String file = path(name).toString();
        long r = NsSyscalls.umount2(file, NsSyscalls.MNT_DETACH);
        // EINVAL: not a mount point (a file left by a failed add), the file still goes;
        // ENOENT: gone already (deleted by ip netns), berth's record still goes.
        if (r < 0 && r != -NsSyscalls.EINVAL && r != -NsSyscalls.ENOENT) {
            throw new BerthException(BerthException.Kind.SYSTEM,
                    "unmount " + file + ": " + Errno.describe((int) -r), (int) -r, null);
        }
        try {
            Files.deleteIfExists(path(name));
        } catch (IOException e) {
            throw NetnsStore.io("remove " + file, e);
        }
    }
}
