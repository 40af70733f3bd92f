package dev.berth.plan;

import dev.berth.api.BerthException;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which Linux security module can take a label on this host, and the attribute file through
 * which a process asks for one at its next execve. Read only for a config that asks for a label.
 *
 * @param root "/" on the host; a fake tree in tests
 */
record Lsm(Path root) {
    static Lsm host() {
        return new Lsm(Path.of("/"));
    }

    /** AppArmor is active (runc: /sys/module/apparmor/parameters/enabled says Y). */
    boolean appArmor() {
        return read("sys/module/apparmor/parameters/enabled").startsWith("Y");
    }

    /** SELinux is active: selinuxfs is mounted. */
    boolean seLinux() {
        return Files.exists(root.resolve("sys/fs/selinux/enforce"));
    }

    /**
     * The file AppArmor's change_onexec is written to: the stacking-aware one of kernel 5.8 and
     * later where it exists, else the shared one.
     */
    String appArmorExecAttr() {
        return Files.isDirectory(root.resolve("proc/thread-self/attr/apparmor")) ? "/proc/thread-self/attr/apparmor/exec"
                : "/proc/thread-self/attr/exec";
    }

    /** The {@code PR_LSM_ATTR} entries for a process: checked, with an error naming the field. */
    void write(MessageWriter w, String appArmorProfile, String seLinuxLabel) {
        if (appArmorProfile != null) {
            if (!appArmor()) throw absent("process.apparmorProfile", appArmorProfile, "AppArmor");
            attr(w, appArmorExecAttr(), "exec " + appArmorProfile);
        }
        if (seLinuxLabel != null) {
            if (!seLinux()) throw absent("process.selinuxLabel", seLinuxLabel, "SELinux");
            attr(w, "/proc/thread-self/attr/exec", seLinuxLabel);
        }
    }

    private static void attr(MessageWriter w, String path, String value) {
        w.begin(Protocol.PR_LSM_ATTR).str(Protocol.A_PATH, path).str(Protocol.A_VALUE, value).end();
    }

    static BerthException absent(String field, String value, String module) {
        return BerthException.invalid("config.json: " + field + ": \"" + value + "\" cannot be applied: " + module
                + " is not enabled on this host");
    }

    private String read(String rel) {
        try (FileInputStream in = new FileInputStream(root.resolve(rel).toFile())) {
            return new String(in.readAllBytes()).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
