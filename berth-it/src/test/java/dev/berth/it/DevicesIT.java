package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /dev: the default device nodes and symlinks every container gets, /dev/pts and linux.devices. */
class DevicesIT extends ContainerTestBase {
    private static final String STAT = "stat -c '%F %t:%T %a %u:%g'";

    @Test
    void defaultDevicesHaveTheirNumbersAndModes() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("null", "character special file 1:3 666 0:0");
        expected.put("zero", "character special file 1:5 666 0:0");
        expected.put("full", "character special file 1:7 666 0:0");
        expected.put("random", "character special file 1:8 666 0:0");
        expected.put("urandom", "character special file 1:9 666 0:0");
        expected.put("tty", "character special file 5:0 666 0:0");
        StringBuilder script = new StringBuilder();
        for (String d : expected.keySet()) script.append("echo dev_").append(d).append("=$(").append(STAT).append(" /dev/").append(d).append(")\n");
        script.append("""
                echo null_write=$(echo x > /dev/null && echo ok)
                echo zero_read=$(head -c 4 /dev/zero | od -An -tx1 | tr -d ' ')
                (echo x > /dev/full) 2>/tmp/full_err; echo full_write=$(cat /tmp/full_err)
                echo urandom_read=$(head -c 8 /dev/urandom | wc -c)
                """);
        Facts f = facts(sb.bundle("devs").sh(script.toString()));
        expected.forEach((d, want) -> assertEquals(want, f.get("dev_" + d), f.why("/dev/" + d + ": type major:minor mode uid:gid")));
        assertEquals("ok", f.get("null_write"), f.why("/dev/null is usable (device cgroup allows it)"));
        assertEquals("00000000", f.get("zero_read"), f.why("/dev/zero reads zeros"));
        assertTrue(f.get("full_write").contains("No space left on device"), f.why("/dev/full refuses writes with ENOSPC"));
        assertEquals("8", f.get("urandom_read"), f.why("/dev/urandom is readable"));
    }

    @Test
    void standardSymlinksAndPtmx() {
        Bundle b = sb.bundle("links").sh("""
                for l in fd stdin stdout stderr ptmx; do echo link_$l=$(readlink /dev/$l); done
                echo fd_dir=$(ls /dev/fd/ | sort -n | head -1)
                echo pts_ptmx=$(stat -c '%F %t:%T %a' /dev/pts/ptmx)
                echo stdout_target=$(readlink /dev/stdout)
                echo via_stderr >/dev/stderr
                """);
        Facts f = facts(b);
        assertEquals("/proc/self/fd", f.get("link_fd"), f.why("/dev/fd"));
        assertEquals("/proc/self/fd/0", f.get("link_stdin"), f.why("/dev/stdin"));
        assertEquals("/proc/self/fd/1", f.get("link_stdout"), f.why("/dev/stdout"));
        assertEquals("/proc/self/fd/2", f.get("link_stderr"), f.why("/dev/stderr"));
        assertEquals("pts/ptmx", f.get("link_ptmx"), f.why("/dev/ptmx points into the container's own devpts"));
        assertEquals("0", f.get("fd_dir"), f.why("/dev/fd lists descriptors"));
        assertEquals("character special file 5:2 666", f.get("pts_ptmx"), f.why("devpts ptmx with ptmxmode=0666"));
        assertEquals("via_stderr\n", f.result().stderr(), f.why("writing /dev/stderr reaches run's stderr"));
    }

    @Test
    void linuxDevicesAreCreatedWithTypeNumbersModeAndOwner() {
        Bundle b = sb.bundle("extra").sh("""
                for d in /dev/fuse /dev/berth-test /dev/sub/dir/blk /dev/berth-fifo; do echo "dev_$d=$(stat -c '%F %t:%T %a %u:%g' $d)"; done
                """);
        b.linux().put("devices", List.of(
                device("/dev/fuse", "c", 10, 229, 0640, 1, 2),
                device("/dev/berth-test", "c", 240, 7, 0600, 0, 0),
                device("/dev/sub/dir/blk", "b", 7, 200, 0660, 0, 6),
                device("/dev/berth-fifo", "p", 0, 0, 0620, 3, 0)));
        Facts f = facts(b);
        assertEquals("character special file a:e5 640 1:2", f.get("dev_/dev/fuse"), f.why("/dev/fuse 10:229 0640 1:2"));
        assertEquals("character special file f0:7 600 0:0", f.get("dev_/dev/berth-test"), f.why("made-up char device 240:7"));
        assertEquals("block special file 7:c8 660 0:6", f.get("dev_/dev/sub/dir/blk"),
                f.why("block device 7:200 in a directory the runtime creates"));
        assertEquals("fifo 0:0 620 3:0", f.get("dev_/dev/berth-fifo"), f.why("a fifo (type p)"));
    }

    private static Map<String, Object> device(String path, String type, long major, long minor, long mode, long uid, long gid) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", path);
        d.put("type", type);
        if (!type.equals("p")) {
            d.put("major", major);
            d.put("minor", minor);
        }
        d.put("fileMode", mode);
        d.put("uid", uid);
        d.put("gid", gid);
        return d;
    }
}
