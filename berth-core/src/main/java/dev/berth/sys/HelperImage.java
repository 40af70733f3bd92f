package dev.berth.sys;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;

/**
 * berth-init, copied from the jar into a sealed memfd. Executing it from there means no file is
 * extracted anywhere, and a container can never write the binary through /proc/PID/exe
 * (CVE-2019-5736): the seals forbid every write, and the memfd dies with its last user.
 */
public final class HelperImage {
    private static final String RESOURCE = "/dev/berth/native/berth-init";
    private static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;

    private HelperImage() {}

    /** A close-on-exec memfd holding the helper; spawn it by {@link #path}. */
    public static int open() {
        byte[] image;
        try (InputStream in = HelperImage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new BerthException(BerthException.Kind.SYSTEM,
                        "berth-init is missing from the class path (" + RESOURCE + "): rebuild berth with make");
            }
            image = in.readAllBytes();
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "read berth-init from the jar: " + e.getMessage());
        }
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = (int) Sys.call("memfd_create berth-init", Sys.Nr.MEMFD_CREATE,
                    Sys.cstr(a, "berth-init").address(), MFD_CLOEXEC | MFD_ALLOW_SEALING, 0);
        }
        try {
            Sys.write("write berth-init to its memfd", fd, image);
            Sys.call("seal the berth-init memfd", Sys.Nr.FCNTL, fd, F_ADD_SEALS,
                    F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
            return fd;
        } catch (RuntimeException e) {
            Sys.close(fd);
            throw e;
        }
    }

    /**
     * The memfd by way of this process's fd table: the spawned child closes every inherited
     * descriptor before execve, so its own /proc/self/fd/N would be gone by then.
     */
    public static String path(int fd) {
        return "/proc/" + Sys.getpid() + "/fd/" + fd;
    }
}
