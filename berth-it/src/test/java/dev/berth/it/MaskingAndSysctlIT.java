package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** linux.maskedPaths, linux.readonlyPaths and linux.sysctl. */
class MaskingAndSysctlIT extends ContainerTestBase {

    private static String mountLine(String point) {
        return "echo \"mnt_" + point + "=$(awk '$5 == \"" + point + "\"' /proc/self/mountinfo | tail -1)\"; ";
    }

    @Test
    void maskedFilesReadEmptyAndMaskedDirectoriesAreEmpty() {
        Bundle b = sb.bundle("masked").sh("""
                echo secret_file=$(cat /secret/file | wc -c)
                echo secret_dir=$(ls -A /secret-dir | wc -l)
                echo control=$(cat /visible/file)
                echo timer_list=$(cat /proc/timer_list 2>/dev/null | wc -c)
                echo kcore=$(cat /proc/kcore 2>/dev/null | head -c 16 | wc -c)
                (echo x > /secret-dir/new) 2>/tmp/e1 && echo dir_write=ok || echo dir_write=failed:$(cat /tmp/e1)
                """ + mountLine("/secret-dir"));
        b.writeFile("secret/file", "top secret\n");
        b.writeFile("secret-dir/inside", "hidden\n");
        b.writeFile("visible/file", "seen\n");
        List<Object> masked = new ArrayList<>(Bundle.list(b.linux(), "maskedPaths"));
        masked.addAll(List.of("/secret/file", "/secret-dir", "/proc/timer_list", "/does/not/exist"));
        b.linux().put("maskedPaths", masked);
        Facts f = facts(b);
        assertEquals("0", f.get("secret_file"), f.why("a masked file reads empty"));
        assertEquals("0", f.get("secret_dir"), f.why("a masked directory shows no entries"));
        assertEquals("seen", f.get("control"), f.why("an unmasked file is readable (the check above is meaningful)"));
        assertEquals("0", f.get("timer_list"), f.why("/proc/timer_list is masked"));
        assertEquals("0", f.get("kcore"), f.why("/proc/kcore gives nothing"));
        assertTrue(f.get("dir_write").startsWith("failed"), f.why("a masked directory is not writable"));
        assertTrue(Host.parseMountInfo(f.get("mnt_/secret-dir")).get(0).hasOption("ro"), f.why("masked directory mounted ro"));
    }

    @Test
    void readonlyPathsRefuseWrites() throws Exception {
        String hostRmid = Files.readString(Path.of("/proc/sys/kernel/shm_rmid_forced"));
        Bundle b = sb.bundle("ropaths").sh("""
                touch /data-ro/new 2>/tmp/e1 && echo ro_write=ok || echo ro_write=failed:$(cat /tmp/e1)
                touch /data-rw/new 2>/tmp/e2 && echo rw_write=ok || echo rw_write=failed:$(cat /tmp/e2)
                echo ro_read=$(cat /data-ro/file)
                (echo 1 > /proc/sys/kernel/shm_rmid_forced) 2>/tmp/e3 && echo sys_write=ok || echo sys_write=failed:$(cat /tmp/e3)
                """ + mountLine("/proc/sys") + mountLine("/data-ro") + mountLine("/proc/bus"));
        b.writeFile("data-ro/file", "readable\n");
        b.mkdir("data-rw");
        List<Object> ro = new ArrayList<>(Bundle.list(b.linux(), "readonlyPaths"));
        ro.add("/data-ro");
        b.linux().put("readonlyPaths", ro);
        Facts f = facts(b);
        assertTrue(f.get("ro_write").contains("Read-only file system"), f.why("a readonlyPath refuses writes with EROFS"));
        assertEquals("ok", f.get("rw_write"), f.why("a sibling directory stays writable"));
        assertEquals("readable", f.get("ro_read"), f.why("a readonlyPath stays readable"));
        assertTrue(f.get("sys_write").startsWith("failed"), f.why("/proc/sys is not writable"));
        for (String p : List.of("/proc/sys", "/data-ro", "/proc/bus")) {
            assertTrue(Host.parseMountInfo(f.get("mnt_" + p)).get(0).hasOption("ro"), f.why(p + " is mounted ro"));
        }
        assertEquals(hostRmid, Files.readString(Path.of("/proc/sys/kernel/shm_rmid_forced")), "the host value is untouched");
    }

    @Test
    void sysctlsAreSetInTheContainersNamespaces() throws Exception {
        String hostForward = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim();
        String hostRmid = Files.readString(Path.of("/proc/sys/kernel/shm_rmid_forced")).trim();
        String hostPing = Files.readString(Path.of("/proc/sys/net/ipv4/ping_group_range")).trim();
        Bundle b = sb.bundle("sysctl").sh("""
                echo ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)
                echo shm_rmid_forced=$(cat /proc/sys/kernel/shm_rmid_forced)
                echo ping_group_range=$(cat /proc/sys/net/ipv4/ping_group_range | tr '\\t' ' ')
                """);
        Map<String, Object> sysctl = new LinkedHashMap<>();
        sysctl.put("net.ipv4.ip_forward", "1");
        sysctl.put("kernel.shm_rmid_forced", "1");
        sysctl.put("net/ipv4/ping_group_range", "0 2147483647");
        b.linux().put("sysctl", sysctl);
        Facts f = facts(b);
        assertEquals("1", f.get("ip_forward"), f.why("net.ipv4.ip_forward in the new network namespace"));
        assertEquals("1", f.get("shm_rmid_forced"), f.why("kernel.shm_rmid_forced in the new IPC namespace"));
        assertEquals("0 2147483647", f.get("ping_group_range"), f.why("a key written with slashes"));
        assertEquals(hostForward, Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim(), "host ip_forward untouched");
        assertEquals(hostRmid, Files.readString(Path.of("/proc/sys/kernel/shm_rmid_forced")).trim(), "host shm_rmid_forced untouched");
        assertEquals(hostPing, Files.readString(Path.of("/proc/sys/net/ipv4/ping_group_range")).trim(), "host ping_group_range untouched");
    }
}
