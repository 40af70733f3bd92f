package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import dev.berth.it.support.Leftovers;
import dev.berth.it.support.RuntimeUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Idmapped mounts (seed 001): a container in its own user namespace sees files by their on-disk
 * owners, so an image owned by the host's root needs no chown -R, and what the container's root
 * writes is owned by the host's root on disk.
 */
class IdmappedMountsIT extends ContainerTestBase {
    private static final String STAT = "echo busybox=$(stat -c %u:%g /bin/busybox); "
            + "touch /tmp/made-inside && echo made=ok";

    private Bundle inUserNamespace(String name, String script) {
        Bundle b = sb.bundle(name).namespace("user").sh(script);
        b.linux().put("uidMappings", List.of(Map.of("containerID", 0, "hostID", 300000, "size", 65536)));
        b.linux().put("gidMappings", List.of(Map.of("containerID", 0, "hostID", 300000, "size", 65536)));
        // The rootfs is the host's root's; only an idmapped one lets the container's root write to it.
        b.rootfs().toFile().setWritable(true, false);
        return b;
    }

    private static boolean idmapEnabled() {
        return RuntimeUnderTest.supportsIdmappedMounts();
    }

    @Test
    void anIdmappedRootfsShowsTheHostsRootAsRoot() throws Exception {
        assumeTrue(RuntimeUnderTest.isBerth(), "the dev.berth.rootfs.idmap annotation is berth's");
        Bundle plain = inUserNamespace("plain", "echo busybox=$(stat -c %u:%g /bin/busybox)");
        assertEquals("65534:65534", facts(plain).get("busybox"),
                "without idmapping, files of unmapped host ids show as the overflow id");

        Bundle b = inUserNamespace("idmapped", STAT);
        b.config().put("annotations", Map.of("dev.berth.rootfs.idmap", "true"));
        Facts f = facts(b);
        assertEquals("0:0", f.get("busybox"), f.why("the host's root shows as the container's root"));
        assertEquals("ok", f.get("made"), f.why("the container's root writes to the root-owned image"));
        assertEquals(0, (int) (Integer) Files.getAttribute(b.file("tmp/made-inside"), "unix:uid"),
                "a file the container's root made is the host root's on disk, not uid 300000's");
    }

    @Test
    void theIdmapOptionMapsABindMount() throws Exception {
        assumeTrue(idmapEnabled(), "the runtime's features do not list idmapped mounts");
        Path data = sb.mkdir("data");
        Host.sh("chown 1000:1000 '" + data + "' && touch '" + data + "/owned' && chown 1000:1000 '" + data + "/owned'");
        Bundle b = inUserNamespace("option", "echo owned=$(stat -c %u:%g /data/owned); touch /data/by-root && echo made=ok")
                .mount("/data", "bind", data.toString(), "rbind", "idmap");
        Host.sh("chmod 0777 '" + data + "'");
        Facts f = facts(b);
        assertEquals("1000:1000", f.get("owned"), f.why("host uid 1000 shows as 1000 through the idmapped mount"));
        assertEquals(0, (int) (Integer) Files.getAttribute(data.resolve("by-root"), "unix:uid"),
                "the container's root writes as uid 0 on disk");
    }

    /**
     * With rbind, {@code idmap} maps the top mount and brings its submounts as they are;
     * {@code ridmap} maps them too (runtime-spec: "the mapping is applied recursively"). Host
     * uid 1000 is not in the container's maps, so an unmapped submount shows it as the overflow id.
     */
    @Test
    void ridmapAlsoMapsTheSubmountsThatRbindBrings() throws Exception {
        assumeTrue(idmapEnabled(), "the runtime's features do not list idmapped mounts");
        Path top = sb.mkdir("top");
        Path below = sb.mkdir("below");
        Host.sh("mkdir '" + top + "/sub' && touch '" + top + "/owned' '" + below + "/owned' && chown 1000:1000 '"
                + top + "/owned' '" + below + "/owned' && mount --bind '" + below + "' '" + top + "/sub'");
        sb.onClose("unmount " + top + "/sub", () -> Host.trySh("umount '" + top + "/sub'"));
        Bundle b = inUserNamespace("ridmap", """
                echo idmap=$(stat -c %u /idmap/owned):$(stat -c %u /idmap/sub/owned)
                echo ridmap=$(stat -c %u /ridmap/owned):$(stat -c %u /ridmap/sub/owned)
                """)
                .mount("/idmap", "bind", top.toString(), "rbind", "idmap")
                .mount("/ridmap", "bind", top.toString(), "rbind", "ridmap");
        Facts f = facts(b);
        assertEquals("1000:65534", f.get("idmap"), f.why("idmap: the submount is there, unmapped"));
        assertEquals("1000:1000", f.get("ridmap"), f.why("ridmap: the submount is mapped too"));
    }

    /**
     * A mount's own uidMappings/gidMappings (runtime-spec config.md, "the mapping to convert UIDs
     * from the source file system to the destination mount point"): on-disk containerID shows as
     * host id hostID, which the container sees through its own maps (0 -> 300000). The same
     * directory is mounted three times: with the container's maps, and with two mappings of its
     * own, each needing a user namespace of its own that must be gone afterwards.
     */
    @Test
    void aMountsOwnMappingsDifferFromTheContainers() throws Exception {
        assumeTrue(idmapEnabled(), "the runtime's features do not list idmapped mounts");
        Path data = sb.mkdir("owndata");
        // The directory too: the kernel refuses writes to an inode whose owner the mount does not map.
        Host.sh("touch '" + data + "/owned' && chown 1000:1000 '" + data + "' '" + data + "/owned' && chmod 0777 '"
                + data + "'");
        Bundle b = inUserNamespace("ownmaps", """
                echo theirs=$(stat -c %u:%g /theirs/owned)
                echo mine=$(stat -c %u:%g /mine/owned)
                echo other=$(stat -c %u:%g /other/owned)
                echo ls=$(ls -n /mine/owned | awk '{print $3":"$4}')
                echo id=$(id -u):$(id -g)
                touch /mine/by-root && echo made=ok
                """)
                .mount("/theirs", "bind", data.toString(), "bind", "idmap")
                .mount("/mine", "bind", data.toString(), "bind", "idmap")
                .mount("/other", "bind", data.toString(), "bind", "idmap");
        // On-disk 1000 is host 302000 (the container's 2000); the container's root (host 300000)
        // writes as on-disk 5000.
        withMappings(b, 1, List.of(map(1000, 302000, 1), map(5000, 300000, 1)));
        withMappings(b, 2, List.of(map(1000, 303000, 1)));
        Facts f = facts(b);
        assertEquals("0:0", f.get("id"));
        assertEquals("1000:1000", f.get("theirs"), f.why("idmap without mappings uses the container's maps"));
        assertEquals("2000:2000", f.get("mine"), f.why("on-disk 1000 is host 302000, the container's 2000"));
        assertEquals("2000:2000", f.get("ls"), f.why("ls -n agrees with stat"));
        assertEquals("3000:3000", f.get("other"), f.why("a second mapping gets its own user namespace"));
        assertEquals("ok", f.get("made"), f.why("the container's root writes through the mount"));
        assertEquals("", f.result().stderr().strip(), f.why("nothing on stderr, from the runtime or its helpers"));
        assertEquals(5000, (int) (Integer) Files.getAttribute(data.resolve("by-root"), "unix:uid"),
                "what the container's root (host 300000) made lands on disk as 5000, through the mount's mapping");
        assertEquals(5000, (int) (Integer) Files.getAttribute(data.resolve("by-root"), "unix:gid"));
        Leftovers.assertNone(cli, b);
        assertEquals(List.of(), Leftovers.processesWithUidMapLine(1000, 302000, 1),
                "no process is left in a user namespace made for a mount's mapping");
        assertEquals(List.of(), Leftovers.processesWithUidMapLine(1000, 303000, 1));
    }

    /**
     * runtime-spec: only {@code idmap} without mappings needs the container's user namespace, so a
     * mount with mappings of its own works in a container that has none: the container's root is
     * the host's, and writes as on-disk 5000 through a mapping whose line 5000 maps host id 0.
     */
    @Test
    void aMountsOwnMappingsWithoutAUserNamespace() throws Exception {
        assumeTrue(idmapEnabled(), "the runtime's features do not list idmapped mounts");
        Path data = sb.mkdir("nouserns");
        // 0777: the bundle's default capabilities hold no CAP_DAC_OVERRIDE.
        Host.sh("touch '" + data + "/owned' && chown 1000:1000 '" + data + "' '" + data + "/owned' && chmod 0777 '"
                + data + "'");
        Bundle b = sb.bundle("nouserns").sh("""
                echo theirs=$(stat -c %u:%g /theirs/owned)
                echo mine=$(stat -c %u:%g /mine/owned)
                echo uidmap=$(cat /proc/self/uid_map | tr -s ' ')
                touch /mine/by-root && echo made=ok
                """)
                .mount("/theirs", "bind", data.toString(), "bind")
                .mount("/mine", "bind", data.toString(), "bind", "idmap")
                .mount("/other", "bind", data.toString(), "bind");
        withMappings(b, 1, List.of(map(1000, 2000, 1), map(5000, 0, 1)));
        Facts f = facts(b);
        assertEquals("0 0 4294967295", f.get("uidmap").strip(), f.why("the host's user namespace"));
        assertEquals("1000:1000", f.get("theirs"), f.why("a plain bind shows the on-disk owner"));
        assertEquals("2000:2000", f.get("mine"), f.why("on-disk 1000 is 2000 through the mount"));
        assertEquals("ok", f.get("made"), f.why("the container's root writes through the mount"));
        assertEquals(5000, (int) (Integer) Files.getAttribute(data.resolve("by-root"), "unix:uid"),
                "the host's root writes as on-disk 5000 through the mount");
        Leftovers.assertNone(cli, b);
        assertEquals(List.of(), Leftovers.processesWithUidMapLine(1000, 2000, 1));
    }

    /**
     * A container that joins another's user namespace by path gets {@code idmap} through that
     * namespace, the container's own (runtime-spec: the runtime "MAY use the container's user
     * namespace mapping"): a file of the host's root shows as root, not as the overflow id.
     */
    @Test
    void idmapThroughAUserNamespaceJoinedByPath() throws Exception {
        assumeTrue(idmapEnabled(), "the runtime's features do not list idmapped mounts");
        Bundle owner = inUserNamespace("usernsowner", "exec sleep 1000");
        cli.create(owner);
        long pid = (Long) cli.state(owner.id()).get("pid");
        Path data = sb.mkdir("joined");
        Host.sh("touch '" + data + "/owned' && chmod 0777 '" + data + "'");
        Bundle b = sb.bundle("usernsjoiner").namespace("user", "/proc/" + pid + "/ns/user").sh("""
                echo plain=$(stat -c %u:%g /plain/owned)
                echo mapped=$(stat -c %u:%g /mapped/owned)
                echo uidmap=$(cat /proc/self/uid_map | tr -s ' ')
                touch /mapped/by-root && echo made=ok
                """)
                .mount("/plain", "bind", data.toString(), "bind")
                .mount("/mapped", "bind", data.toString(), "bind", "idmap");
        b.rootfs().toFile().setWritable(true, false);
        Facts f = facts(b);
        assertEquals("0 300000 65536", f.get("uidmap").strip(), f.why("the joined user namespace's maps"));
        assertEquals("65534:65534", f.get("plain"), f.why("the host's root is unmapped there: the overflow id"));
        assertEquals("0:0", f.get("mapped"), f.why("through idmap the host's root is the container's root"));
        assertEquals("ok", f.get("made"), f.why("the container's root writes through the mount"));
        assertEquals(0, (int) (Integer) Files.getAttribute(data.resolve("by-root"), "unix:uid"),
                "what the container's root writes is the host root's on disk");
    }

    @SuppressWarnings("unchecked")
    private static void withMappings(Bundle b, int mount, List<Map<String, Object>> mappings) {
        Map<String, Object> m = (Map<String, Object>) Bundle.list(b.config(), "mounts")
                .get(Bundle.list(b.config(), "mounts").size() - 3 + mount);
        m.put("uidMappings", mappings);
        m.put("gidMappings", mappings);
    }

    private static Map<String, Object> map(long containerId, long hostId, long size) {
        return Map.of("containerID", containerId, "hostID", hostId, "size", size);
    }
}
