package dev.berth.cgroup;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * pause and resume: v1's freezer.state (FROZEN, THAWED; FREEZING while the kernel is still at
 * it) or v2's cgroup.freeze with "frozen 1" in cgroup.events once it is done. Both are waited for,
 * so that "paused" is true when pause returns.
 */
public final class Freezer {
    private static final long WAIT_NANOS = 10_000_000_000L;

    private Freezer() {}

    public static void freeze(ContainerCgroup cg) {
        set(cg, true);
    }

    public static void thaw(ContainerCgroup cg) {
        set(cg, false);
    }

    private static void set(ContainerCgroup cg, boolean freeze) {
        Path dir = cg.dir(cg.unified() ? "" : "freezer");
        if (dir == null) {
            throw new BerthException(BerthException.Kind.SYSTEM, "the freezer cgroup controller is not mounted on this host");
        }
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (int round = 0; ; round++) {
            if (cg.unified()) {
                write(dir.resolve("cgroup.freeze"), freeze ? "1" : "0");
                if (eventsSay(dir, freeze)) return;
            } else {
                // Writing FROZEN again nudges a freezer that is stuck in FREEZING (runc does it too).
                write(dir.resolve("freezer.state"), freeze ? "FROZEN" : "THAWED");
                String state = read(dir.resolve("freezer.state"));
                if (state.equals(freeze ? "FROZEN" : "THAWED")) return;
            }
            if (System.nanoTime() > deadline) {
                throw new BerthException(BerthException.Kind.SYSTEM, (freeze ? "freeze" : "thaw") + " cgroup " + dir
                        + ": the kernel did not finish in 10 s");
            }
            sleep(round < 100 ? 1 : 10);
        }
    }

    private static boolean eventsSay(Path dir, boolean frozen) {
        String events = read(dir.resolve("cgroup.events"));
        String want = frozen ? "frozen 1" : "frozen 0";
        for (String line : events.split("\n")) {
            if (line.trim().equals(want)) return true;
        }
        return false;
    }

    private static void write(Path f, String v) {
        try {
            Files.write(f, v.getBytes(), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "write " + v + " to " + f + ": "
                    + ContainerCgroup.reason(e), 0, e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f).trim();
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "read " + f + ": " + ContainerCgroup.reason(e), 0, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
