package dev.berth.spec;

import static dev.berth.spec.MountFlags.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
    private static MountOptions parse(String... options) {
        return MountOptions.parse(List.of(options));
    }

    @Test
    void flagWordsSetFlags() {
        MountOptions o = parse("ro", "nosuid", "nodev", "noexec", "sync", "dirsync", "mand", "noatime",
                "nodiratime", "relatime", "strictatime", "remount", "nosymfollow", "iversion", "lazytime", "silent");
        assertEquals(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK
                | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_REMOUNT | MS_NOSYMFOLLOW
                | MS_I_VERSION | MS_LAZYTIME | MS_SILENT, o.flags());
        assertEquals(0, o.clearedFlags());
        assertEquals("", o.data());
    }

    @Test
    void oppositeWordsClearAndTheLastWordWins() {
        MountOptions o = parse("ro", "nosuid", "nodev", "noexec", "sync", "mand", "noatime", "nodiratime",
                "relatime", "strictatime", "nosymfollow", "rw", "suid", "dev", "exec", "async", "nomand", "atime",
                "diratime", "norelatime", "nostrictatime", "symfollow", "noiversion", "nolazytime", "loud");
        assertEquals(0, o.flags());
        assertEquals(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_MANDLOCK | MS_NOATIME
                | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW | MS_I_VERSION | MS_LAZYTIME
                | MS_SILENT, o.clearedFlags());
        MountOptions back = parse("rw", "ro");
        assertEquals(MS_RDONLY, back.flags());
        assertEquals(0, back.clearedFlags());
    }

    @Test
    void bindAndRbind() {
        assertEquals(MS_BIND, parse("bind").flags());
        assertEquals(MS_BIND | MS_REC, parse("rbind").flags());
        assertTrue(parse("rbind", "ro").isBind());
        assertFalse(parse("ro").isBind());
    }

    @Test
    void propagationWordsAreKeptInOrder() {
        assertEquals(List.of(MS_PRIVATE | MS_REC, MS_SHARED, MS_SLAVE, MS_SLAVE | MS_REC, MS_UNBINDABLE,
                        MS_UNBINDABLE | MS_REC, MS_PRIVATE, MS_SHARED | MS_REC),
                parse("rprivate", "shared", "slave", "rslave", "unbindable", "runbindable", "private", "rshared")
                        .propagation());
        assertEquals(0, parse("rprivate").flags());
    }

    @Test
    void recursiveAttributes() {
        MountOptions o = parse("rro", "rnosuid", "rnodev", "rnoexec", "rnodiratime", "rnosymfollow");
        assertEquals(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC
                | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW, o.attrSet());
        assertEquals(0, o.attrClr());
        MountOptions c = parse("rro", "rrw", "rsuid", "rdev", "rexec", "rdiratime", "rsymfollow");
        assertEquals(0, c.attrSet());
        assertEquals(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC
                | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW, c.attrClr());
    }

    @Test
    void accessTimeAttributesClearTheWholeField() {
        assertEquals(MOUNT_ATTR_NOATIME, parse("rnoatime").attrSet());
        assertEquals(MOUNT_ATTR__ATIME, parse("rnoatime").attrClr());
        assertEquals(MOUNT_ATTR_STRICTATIME, parse("rstrictatime").attrSet());
        assertEquals(MOUNT_ATTR__ATIME, parse("rstrictatime").attrClr());
        assertEquals(0, parse("rrelatime").attrSet());
        assertEquals(MOUNT_ATTR__ATIME, parse("rrelatime").attrClr());
        assertEquals(MOUNT_ATTR__ATIME, parse("ratime").attrClr());
        assertEquals(MOUNT_ATTR__ATIME, parse("rnorelatime").attrClr());
        assertEquals(MOUNT_ATTR__ATIME, parse("rnostrictatime").attrClr());
    }

    @Test
    void everythingElseIsFileSystemData() {
        MountOptions o = parse("nosuid", "mode=755", "size=65536k", "newinstance", "acl", "nodevices");
        assertEquals("mode=755,size=65536k,newinstance,acl,nodevices", o.data());
        assertEquals(MS_NOSUID, o.flags());
        assertEquals("", parse("defaults").data());
        assertEquals(0, parse("defaults").flags());
    }

    @Test
    void optionsBerthCannotApplyAreFlagged() {
        assertEquals("tmpcopyup", parse("mode=755", "tmpcopyup", "idmap").unsupported());
        assertNull(parse("rbind", "ridmap").unsupported());
        assertEquals("", parse("rbind", "ridmap").data(), "idmap words choose how the mount is made, not data");
        assertEquals(2, MountOptions.idmap(List.of("rbind", "ridmap")));
        assertEquals(1, MountOptions.idmap(List.of("bind", "idmap")));
        assertEquals(0, MountOptions.idmap(List.of("bind")));
        assertNull(parse("rbind").unsupported());
    }

    @Test
    void knownIsSortedAndComplete() {
        List<String> known = MountOptions.known();
        assertEquals(known.stream().sorted().toList(), known);
        assertTrue(known.containsAll(List.of("ro", "rw", "bind", "rbind", "rprivate", "rro", "rnoatime", "defaults")));
        assertFalse(known.contains("tmpcopyup"));
        assertTrue(known.contains("idmap"));
        for (String word : known) {
            assertEquals("", parse(word).data(), word + " is known but parsed as data");
        }
    }

    @Test
    void flagsDescribeThemselves() {
        assertEquals("MS_NOSUID|MS_NODEV|MS_NOEXEC", describe(MS_NOSUID | MS_NODEV | MS_NOEXEC, MS_NAMES));
        assertEquals("0", describe(0, MS_NAMES));
        assertEquals("MS_RDONLY|0x400000", describe(MS_RDONLY | (1 << 22), MS_NAMES));
        assertEquals("MOUNT_ATTR__ATIME", describe(MOUNT_ATTR__ATIME, ATTR_NAMES));
        assertEquals("MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOATIME", describe(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOATIME, ATTR_NAMES));
    }
}
