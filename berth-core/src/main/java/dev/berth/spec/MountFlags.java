package dev.berth.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/** The Linux constants of mount(2) and mount_setattr(2) that mount options turn into. */
public final class MountFlags {
    private MountFlags() {}

    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_SYNCHRONOUS = 16;
    public static final long MS_REMOUNT = 32;
    public static final long MS_MANDLOCK = 64;
    public static final long MS_DIRSYNC = 128;
    public static final long MS_NOSYMFOLLOW = 256;
    public static final long MS_NOATIME = 1024;
    public static final long MS_NODIRATIME = 2048;
    public static final long MS_BIND = 4096;
    public static final long MS_MOVE = 8192;
    public static final long MS_REC = 16384;
    public static final long MS_SILENT = 32768;
    public static final long MS_UNBINDABLE = 1 << 17;
    public static final long MS_PRIVATE = 1 << 18;
    public static final long MS_SLAVE = 1 << 19;
    public static final long MS_SHARED = 1 << 20;
    public static final long MS_RELATIME = 1 << 21;
    public static final long MS_I_VERSION = 1 << 23;
    public static final long MS_STRICTATIME = 1 << 24;
    public static final long MS_LAZYTIME = 1 << 25;

    public static final long MOUNT_ATTR_RDONLY = 0x1;
    public static final long MOUNT_ATTR_NOSUID = 0x2;
    public static final long MOUNT_ATTR_NODEV = 0x4;
    public static final long MOUNT_ATTR_NOEXEC = 0x8;
    /** The access-time setting is a 3-bit field, not a flag: clear all of it to set one value. */
    public static final long MOUNT_ATTR__ATIME = 0x70;
    public static final long MOUNT_ATTR_RELATIME = 0x0;
    public static final long MOUNT_ATTR_NOATIME = 0x10;
    public static final long MOUNT_ATTR_STRICTATIME = 0x20;
    public static final long MOUNT_ATTR_NODIRATIME = 0x80;
    public static final long MOUNT_ATTR_NOSYMFOLLOW = 0x200000;

    /** MS_* names by bit, in bit order, for readable plans. */
    public static final Map<Long, String> MS_NAMES = names(new Object[] {
        MS_RDONLY, "MS_RDONLY", MS_NOSUID, "MS_NOSUID", MS_NODEV, "MS_NODEV", MS_NOEXEC, "MS_NOEXEC",
        MS_SYNCHRONOUS, "MS_SYNCHRONOUS", MS_REMOUNT, "MS_REMOUNT", MS_MANDLOCK, "MS_MANDLOCK",
        MS_DIRSYNC, "MS_DIRSYNC", MS_NOSYMFOLLOW, "MS_NOSYMFOLLOW", MS_NOATIME, "MS_NOATIME",
        MS_NODIRATIME, "MS_NODIRATIME", MS_BIND, "MS_BIND", MS_MOVE, "MS_MOVE", MS_REC, "MS_REC",
        MS_SILENT, "MS_SILENT", MS_UNBINDABLE, "MS_UNBINDABLE", MS_PRIVATE, "MS_PRIVATE", MS_SLAVE, "MS_SLAVE",
        MS_SHARED, "MS_SHARED", MS_RELATIME, "MS_RELATIME", MS_I_VERSION, "MS_I_VERSION",
        MS_STRICTATIME, "MS_STRICTATIME", MS_LAZYTIME, "MS_LAZYTIME"});

    /** MOUNT_ATTR_* names; the whole atime field first, so that a cleared field reads as one name. */
    public static final Map<Long, String> ATTR_NAMES = names(new Object[] {
        MOUNT_ATTR__ATIME, "MOUNT_ATTR__ATIME",
        MOUNT_ATTR_RDONLY, "MOUNT_ATTR_RDONLY", MOUNT_ATTR_NOSUID, "MOUNT_ATTR_NOSUID",
        MOUNT_ATTR_NODEV, "MOUNT_ATTR_NODEV", MOUNT_ATTR_NOEXEC, "MOUNT_ATTR_NOEXEC",
        MOUNT_ATTR_NOATIME, "MOUNT_ATTR_NOATIME", MOUNT_ATTR_STRICTATIME, "MOUNT_ATTR_STRICTATIME",
        MOUNT_ATTR_NODIRATIME, "MOUNT_ATTR_NODIRATIME",
        MOUNT_ATTR_NOSYMFOLLOW, "MOUNT_ATTR_NOSYMFOLLOW"});

    /** "MS_NOSUID|MS_NODEV", "0" for none; bits without a name in hex. */
    public static String describe(long bits, Map<Long, String> names) {
        if (bits == 0) return "0";
        StringBuilder sb = new StringBuilder();
        long rest = bits;
        for (Map.Entry<Long, String> e : names.entrySet()) {
            if ((rest & e.getKey()) == e.getKey()) {
                if (!sb.isEmpty()) sb.append('|');
                sb.append(e.getValue());
                rest &= ~e.getKey();
            }
        }
        if (rest != 0) {
            if (!sb.isEmpty()) sb.append('|');
            sb.append("0x").append(Long.toHexString(rest));
        }
        return sb.toString();
    }

    private static Map<Long, String> names(Object[] pairs) {
        Map<Long, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((Long) pairs[i], (String) pairs[i + 1]);
        return m;
    }
}
