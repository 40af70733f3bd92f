package dev.berth.api;

import java.nio.file.Path;

/**
 * Options of `create` and `run` beyond the bundle.
 *
 * @param pidFile where to write the init's PID, or null
 * @param noPivot use MS_MOVE + chroot instead of pivot_root (for a rootfs on a ramdisk)
 */
public record CreateOptions(Path pidFile, boolean noPivot) {
    public static final CreateOptions DEFAULT = new CreateOptions(null, false);
}
