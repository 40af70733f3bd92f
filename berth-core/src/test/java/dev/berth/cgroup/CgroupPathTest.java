package dev.berth.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import org.junit.jupiter.api.Test;

class CgroupPathTest {
    @Test
    void pathsAreCleanedAndNeverClimbAboveTheirRoot() {
        assertEquals("/a/b", CgroupPath.check("/a/b"));
        assertEquals("/a/b", CgroupPath.check("/a//./b/"));
        assertEquals("/etc", CgroupPath.check("/../../etc"));
        assertEquals("x", CgroupPath.check("../x"));
        assertEquals("c1", CgroupPath.check("c1"));
        assertThrows(BerthException.class, () -> CgroupPath.check(".."));
    }

    @Test
    void theSystemdFormNamesTheFlag() {
        BerthException e = assertThrows(BerthException.class, () -> CgroupPath.check("system.slice:berth:c1"));
        assertTrue(e.getMessage().startsWith("config.json: linux.cgroupsPath: \"system.slice:berth:c1\""), e.getMessage());
        assertTrue(e.getMessage().contains("--systemd-cgroup"), e.getMessage());
        assertEquals("/a:b:c/d", CgroupPath.check("/a:b:c/d"), "an absolute path with colons is a path");
    }
}
