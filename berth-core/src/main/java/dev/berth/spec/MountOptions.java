package dev.berth.spec;

import static dev.berth.spec.MountFlags.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The options of one mount interpreted as runc does (libcontainer/specconv parseMountOptions):
 * mount(8) flag words set or clear MS_* flags, propagation words become separate propagation
 * changes, "r"-prefixed words become recursive mount_setattr(2) attributes, and every other word
 * is file-system data ("size=64k", "mode=755"), even if it looks like a flag.
 *
 * @param flags         MS_* flags to pass to mount(2)
 * @param clearedFlags  MS_* flags an option asked to clear ("rw", "suid"), for remounts
 * @param propagation   MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE [|MS_REC], in option order
 * @param attrSet       MOUNT_ATTR_* to set recursively
 * @param attrClr       MOUNT_ATTR_* to clear recursively
 * @param data          the file-system options joined with ","; empty when there are none
 * @param unsupported   the first option runc knows but this berth version cannot apply, or null
 */
public record MountOptions(long flags, long clearedFlags, List<Long> propagation, long attrSet, long attrClr,
        String data, String unsupported) {

    public MountOptions {
        propagation = List.copyOf(propagation);
    }

    /** Flag words: {MS_* bits, 1 if the word clears them}. "defaults" is a word that sets nothing. */
    private static final Map<String, long[]> FLAG_WORDS = Map.ofEntries(
            Map.entry("async", new long[] {MS_SYNCHRONOUS, 1}),
            Map.entry("atime", new long[] {MS_NOATIME, 1}),
            Map.entry("bind", new long[] {MS_BIND, 0}),
            Map.entry("defaults", new long[] {0, 0}),
            Map.entry("dev", new long[] {MS_NODEV, 1}),
            Map.entry("diratime", new long[] {MS_NODIRATIME, 1}),
            Map.entry("dirsync", new long[] {MS_DIRSYNC, 0}),
            Map.entry("exec", new long[] {MS_NOEXEC, 1}),
            Map.entry("iversion", new long[] {MS_I_VERSION, 0}),
            Map.entry("lazytime", new long[] {MS_LAZYTIME, 0}),
            Map.entry("loud", new long[] {MS_SILENT, 1}),
            Map.entry("mand", new long[] {MS_MANDLOCK, 0}),
            Map.entry("noatime", new long[] {MS_NOATIME, 0}),
            Map.entry("nodev", new long[] {MS_NODEV, 0}),
            Map.entry("nodiratime", new long[] {MS_NODIRATIME, 0}),
            Map.entry("noexec", new long[] {MS_NOEXEC, 0}),
            Map.entry("noiversion", new long[] {MS_I_VERSION, 1}),
            Map.entry("nolazytime", new long[] {MS_LAZYTIME, 1}),
            Map.entry("nomand", new long[] {MS_MANDLOCK, 1}),
            Map.entry("norelatime", new long[] {MS_RELATIME, 1}),
            Map.entry("nostrictatime", new long[] {MS_STRICTATIME, 1}),
            Map.entry("nosuid", new long[] {MS_NOSUID, 0}),
            Map.entry("nosymfollow", new long[] {MS_NOSYMFOLLOW, 0}),
            Map.entry("rbind", new long[] {MS_BIND | MS_REC, 0}),
            Map.entry("relatime", new long[] {MS_RELATIME, 0}),
            Map.entry("remount", new long[] {MS_REMOUNT, 0}),
            Map.entry("ro", new long[] {MS_RDONLY, 0}),
            Map.entry("rw", new long[] {MS_RDONLY, 1}),
            Map.entry("silent", new long[] {MS_SILENT, 0}),
            Map.entry("strictatime", new long[] {MS_STRICTATIME, 0}),
            Map.entry("suid", new long[] {MS_NOSUID, 1}),
            Map.entry("sync", new long[] {MS_SYNCHRONOUS, 0}),
            Map.entry("symfollow", new long[] {MS_NOSYMFOLLOW, 1}));

    private static final Map<String, Long> PROPAGATION_WORDS = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    /** Recursive attribute words: {MOUNT_ATTR_* value, 1 if the word clears it}. */
    private static final Map<String, long[]> ATTR_WORDS = Map.ofEntries(
            Map.entry("rro", new long[] {MOUNT_ATTR_RDONLY, 0}),
            Map.entry("rrw", new long[] {MOUNT_ATTR_RDONLY, 1}),
            Map.entry("rnosuid", new long[] {MOUNT_ATTR_NOSUID, 0}),
            Map.entry("rsuid", new long[] {MOUNT_ATTR_NOSUID, 1}),
            Map.entry("rnodev", new long[] {MOUNT_ATTR_NODEV, 0}),
            Map.entry("rdev", new long[] {MOUNT_ATTR_NODEV, 1}),
            Map.entry("rnoexec", new long[] {MOUNT_ATTR_NOEXEC, 0}),
            Map.entry("rexec", new long[] {MOUNT_ATTR_NOEXEC, 1}),
            Map.entry("rnodiratime", new long[] {MOUNT_ATTR_NODIRATIME, 0}),
            Map.entry("rdiratime", new long[] {MOUNT_ATTR_NODIRATIME, 1}),
            Map.entry("rrelatime", new long[] {MOUNT_ATTR_RELATIME, 0}),
            Map.entry("rnorelatime", new long[] {MOUNT_ATTR_RELATIME, 1}),
            Map.entry("rnoatime", new long[] {MOUNT_ATTR_NOATIME, 0}),
            Map.entry("ratime", new long[] {MOUNT_ATTR_NOATIME, 1}),
            Map.entry("rstrictatime", new long[] {MOUNT_ATTR_STRICTATIME, 0}),
            Map.entry("rnostrictatime", new long[] {MOUNT_ATTR_STRICTATIME, 1}),
            Map.entry("rnosymfollow", new long[] {MOUNT_ATTR_NOSYMFOLLOW, 0}),
            Map.entry("rsymfollow", new long[] {MOUNT_ATTR_NOSYMFOLLOW, 1}));

    /**
     * Options runc implements that berth does not yet: refused rather than passed on as data,
     * where the kernel would reject them with a bare EINVAL or, worse, accept them silently.
     */
    private static final List<String> NOT_YET = List.of("tmpcopyup");

    public static MountOptions parse(List<String> options) {
        long flags = 0, cleared = 0, set = 0, clr = 0;
        List<Long> propagation = new ArrayList<>();
        List<String> data = new ArrayList<>();
        String unsupported = null;
        for (String o : options) {
            long[] f = FLAG_WORDS.get(o);
            long[] a = ATTR_WORDS.get(o);
            Long p = PROPAGATION_WORDS.get(o);
            if (f != null) {
                if (f[1] == 1) {
                    flags &= ~f[0];
                    cleared |= f[0];
                } else {
                    flags |= f[0];
                    cleared &= ~f[0];
                }
            } else if (p != null) {
                propagation.add(p);
            } else if (a != null) {
                if (a[1] == 1) {
                    clr |= a[0];
                    set &= ~a[0];
                } else {
                    set |= a[0];
                    clr &= ~a[0];
                }
                // mount_setattr(2): an access-time value is only taken when the whole field is cleared.
                if ((a[0] & MOUNT_ATTR__ATIME) == a[0]) clr |= MOUNT_ATTR__ATIME;
            } else if (o.equals("idmap") || o.equals("ridmap")) {
                // read by idmap(): they choose how the mount is made, not its flags
            } else if (NOT_YET.contains(o)) {
                if (unsupported == null) unsupported = o;
            } else {
                data.add(o);
            }
        }
        return new MountOptions(flags, cleared, propagation, set, clr, String.join(",", data), unsupported);
    }

    /** How an idmapped mount was asked for: 0 not at all, 1 "idmap", 2 "ridmap" (recursive). */
    public static int idmap(List<String> options) {
        int kind = 0;
        for (String o : options) {
            if (o.equals("idmap")) kind = 1;
            if (o.equals("ridmap")) kind = 2;
        }
        return kind;
    }

    public boolean isBind() {
        return (flags & MS_BIND) != 0;
    }

    /** Every option word this parser gives a meaning to, sorted (features.json mountOptions). */
    public static List<String> known() {
        TreeSet<String> all = new TreeSet<>(FLAG_WORDS.keySet());
        all.addAll(PROPAGATION_WORDS.keySet());
        all.addAll(ATTR_WORDS.keySet());
        all.add("idmap");
        all.add("ridmap");
        return List.copyOf(all);
    }
}
