package dev.berth.engine;

import dev.berth.plan.PlanContext;
import dev.berth.sys.Sys;

/**
 * "Am I really root?" Answered from /proc/self/uid_map, not the effective uid: podman's rootless
 * mode runs the runtime as uid 0 inside a user namespace that has none of root's powers.
 */
public final class Rootness {
    private Rootness() {}

    private static Boolean realRoot;

    /** Root in the initial user namespace; asked several times per create, read once. */
    public static boolean isRealRoot() {
        if (realRoot == null) realRoot = Sys.geteuid() == 0 && PlanContext.inInitialUserNamespace();
        return realRoot;
    }

    public static int uid() {
        return Sys.getuid();
    }

    public static int gid() {
        return Sys.getgid();
    }
}
