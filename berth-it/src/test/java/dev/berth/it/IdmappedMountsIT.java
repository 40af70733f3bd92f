package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
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
        Object linux = RuntimeUnderTest.features().get("linux");
        return linux instanceof Map<?, ?> l && l.get("mountExtensions") instanceof Map<?, ?> ext
                && ext.get("idmap") instanceof Map<?, ?> idmap && Boolean.TRUE.equals(idmap.get("enabled"));
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
}
