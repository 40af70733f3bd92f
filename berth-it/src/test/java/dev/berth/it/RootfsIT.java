package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** root.path (relative and absolute), root.readonly and linux.rootfsPropagation. */
class RootfsIT extends ContainerTestBase {

    /** Prints the mountinfo line of the container's "/" as root_line=... */
    private static final String ROOT_LINE = "echo \"root_line=$(awk '$5 == \"/\"' /proc/self/mountinfo)\"; ";

    @Test
    void readonlyRootButWritableTmpfs() {
        Bundle b = sb.bundle("ro").mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777")
                .sh(ROOT_LINE + """
                        touch /new-file 2>/tmp/err && echo root_write=ok || echo root_write=failed:$(cat /tmp/err)
                        echo hello > /tmp/file && echo tmp_write=$(cat /tmp/file)
                        """);
        b.obj("root").put("readonly", true);
        Facts f = facts(b);
        assertTrue(f.get("root_write").startsWith("failed") && f.get("root_write").contains("Read-only file system"),
                f.why("writing to a read-only root fails with EROFS"));
        assertEquals("hello", f.get("tmp_write"), f.why("a tmpfs mounted on a read-only root is writable"));
        assertTrue(Host.parseMountInfo(f.get("root_line")).get(0).hasOption("ro"), f.why("/ is mounted ro"));
        assertFalse(Files.exists(b.file("new-file")), "nothing was written to the rootfs");
    }

    @Test
    void writableRootByDefault() {
        Bundle b = sb.bundle("rw").sh(ROOT_LINE + "echo data > /written && echo root_write=ok");
        Facts f = facts(b);
        assertEquals("ok", f.get("root_write"), f.why("root.readonly false"));
        assertTrue(Host.parseMountInfo(f.get("root_line")).get(0).hasOption("rw"), f.why("/ is mounted rw"));
        assertTrue(Files.exists(b.file("written")), "the write reached the bundle's rootfs");
    }

    @Test
    void relativeRootPathResolvesAgainstTheBundleNotTheWorkingDirectory() throws Exception {
        Bundle b = sb.bundle("relroot").sh("cat /marker");
        Path moved = b.dir().resolve("images/fs");
        Files.createDirectories(moved.getParent());
        Files.move(b.dir().resolve("rootfs"), moved);
        b.obj("root").put("path", "images/fs");
        b.writeFile("marker", "relative-root\n");
        Path elsewhere = sb.mkdir("elsewhere");
        Files.createDirectories(elsewhere.resolve("images/fs"));
        Result r = cli.exec(cli.withBundle("run", b)).dir(elsewhere).run().assertOk();
        assertEquals("relative-root\n", r.stdout(), "root.path images/fs is BUNDLE/images/fs\n" + r.describe());
    }

    @Test
    void absoluteRootPathOutsideTheBundle() throws Exception {
        Bundle b = sb.bundle("absroot").sh("cat /marker");
        Path outside = sb.dir().resolve("rootfs-elsewhere");
        Files.move(b.dir().resolve("rootfs"), outside);
        b.obj("root").put("path", outside.toString());
        b.writeFile("marker", "absolute-root\n");
        assertEquals("absolute-root\n", cli.run(b).assertOk().stdout());
    }

    /**
     * For every propagation value the container runs in its rootfs, and none of its mounts
     * reaches the host even when the bundle sits on a shared mount (as on any systemd host).
     */
    @ParameterizedTest(name = "rootfsPropagation {0}")
    @ValueSource(strings = {"private", "rprivate", "slave", "rslave", "shared", "rshared"})
    void rootfsPropagationKeepsContainerMountsOffTheHost(String propagation) {
        Bundle b = sb.bundle("prop-" + propagation).sh("echo ready > /tmp/ready; exec sleep 1000");
        b.linux().put("rootfsPropagation", propagation);
        sharedMountOn(b.dir());

        cli.create(b);
        cli.call("start", b.id()).assertOk();
        assertTrue(Host.waitFor(java.time.Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/ready"))),
                "the container runs in its rootfs");
        List<String> leaked = Host.mountsMentioning(b.rootfs());
        assertEquals(List.of(), leaked, "no container mount (proc, dev, ...) propagates to the host");
        String hostLine = Host.mounts().stream().filter(m -> m.mountPoint().equals(b.dir().toString()))
                .map(Host.MountInfo::line).findFirst().orElse("");
        assertTrue(hostLine.contains("shared:"), "the host's shared bundle mount stays shared: " + hostLine);
    }

    /**
     * What "/" looks like inside. runc 1.1 applies rootfsPropagation to the old "/" before it
     * binds the rootfs and then makes the rootfs's parent private, so the container's "/" never
     * carries the requested propagation (and "unbindable" makes its rootfs bind fail with EINVAL);
     * the runtime-spec says the value is the rootfs mount's propagation. Checked for berth only.
     */
    @ParameterizedTest(name = "rootfsPropagation {0} inside")
    @ValueSource(strings = {"private", "shared", "rshared", "unbindable"})
    void rootfsPropagationIsTheRootMountsPropagation(String propagation) {
        assumeTrue(RuntimeUnderTest.isBerth(), "runc 1.1 does not apply rootfsPropagation to the container's / (see comment)");
        Bundle b = sb.bundle("inside-" + propagation).sh(ROOT_LINE);
        b.linux().put("rootfsPropagation", propagation);
        Facts f = facts(b);
        String optional = Host.parseMountInfo(f.get("root_line")).get(0).optional();
        switch (propagation) {
            case "private" -> assertFalse(optional.contains("shared:") || optional.contains("master:"),
                    f.why("a private / has no peer group and no master"));
            case "shared", "rshared" -> assertTrue(optional.contains("shared:"), f.why("a shared / is in a peer group"));
            case "unbindable" -> assertTrue(optional.contains("unbindable"), f.why("an unbindable /"));
            default -> throw new IllegalArgumentException(propagation);
        }
    }

    /** Makes {@code dir} a shared mount point on the host, undone at the end of the test. */
    private void sharedMountOn(Path dir) {
        Host.sh("mount --bind '" + dir + "' '" + dir + "' && mount --make-shared '" + dir + "'");
        sb.onClose("umount " + dir, () -> Host.trySh("umount -l '" + dir + "'"));
    }
}
