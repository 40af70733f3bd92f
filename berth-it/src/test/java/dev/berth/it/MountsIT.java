package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import dev.berth.it.support.Host.MountInfo;
import dev.berth.it.support.RuntimeUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * config.json mounts: bind and rbind with their options, propagation, rro, tmpfs options, the
 * special file systems, single-file binds, and destinations that are symlinks out of the rootfs.
 * Each container prints its own /proc/self/mountinfo after the marker line "--mountinfo--".
 */
class MountsIT extends ContainerTestBase {
    private static final String MOUNTINFO = "echo --mountinfo--; cat /proc/self/mountinfo";

    /** The container's mount table, parsed from what follows the marker line. */
    private static List<MountInfo> mountinfo(Facts f) {
        String out = f.result().stdout();
        int at = out.indexOf("--mountinfo--\n");
        if (at < 0) throw new AssertionError(f.why("no mountinfo printed"));
        return Host.parseMountInfo(out.substring(at + "--mountinfo--\n".length()));
    }

    /** The top-most mount at {@code point} inside the container. */
    private static MountInfo at(Facts f, String point) {
        MountInfo found = null;
        for (MountInfo m : mountinfo(f)) if (m.mountPoint().equals(point)) found = m;
        if (found == null) throw new AssertionError(f.why("no mount at " + point + " inside the container"));
        return found;
    }

    @Test
    void bindMountOptionsRoNosuidNodevNoexec() throws Exception {
        Path src = sb.mkdir("bindsrc");
        Files.writeString(src.resolve("data"), "host-data\n");
        Path script = src.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\necho ran\n");
        script.toFile().setExecutable(true, false);
        Host.sh("mknod '" + src.resolve("null") + "' c 1 3 && chmod 666 '" + src.resolve("null") + "'");

        Bundle b = sb.bundle("bindopts")
                .mount("/b-rw", "bind", src.toString(), "bind")
                .mount("/b-ro", "bind", src.toString(), "bind", "ro")
                .mount("/b-nosuid", "bind", src.toString(), "bind", "nosuid")
                .mount("/b-nodev", "bind", src.toString(), "bind", "nodev")
                .mount("/b-noexec", "bind", src.toString(), "bind", "noexec")
                .sh("""
                        echo rw_read=$(cat /b-rw/data)
                        echo from-container > /b-rw/written && echo rw_write=ok
                        touch /b-ro/x 2>/tmp/e1 && echo ro_write=ok || echo ro_write=failed:$(cat /tmp/e1)
                        echo ro_read=$(cat /b-ro/data)
                        echo rw_exec=$(/b-rw/run.sh 2>&1)
                        /b-noexec/run.sh 2>/tmp/e2 && echo noexec_exec=ran || echo noexec_exec=failed:$(cat /tmp/e2)
                        echo x > /b-rw/null && echo dev_write=ok
                        (echo x > /b-nodev/null) 2>/tmp/e3 && echo nodev_write=ok || echo nodev_write=failed:$(cat /tmp/e3)
                        """ + MOUNTINFO);
        Facts f = facts(b);
        assertEquals("host-data", f.get("rw_read"), f.why("the bind shows the host directory"));
        assertEquals("ok", f.get("rw_write"), f.why("a plain bind is writable"));
        assertEquals("from-container\n", Files.readString(src.resolve("written")), "the write reached the host directory");
        assertTrue(f.get("ro_write").contains("Read-only file system"), f.why("ro bind refuses writes"));
        assertEquals("host-data", f.get("ro_read"), f.why("ro bind is readable"));
        assertEquals("ran", f.get("rw_exec"), f.why("exec from a plain bind"));
        assertTrue(f.get("noexec_exec").contains("Permission denied"), f.why("noexec bind refuses exec"));
        assertEquals("ok", f.get("dev_write"), f.why("a device node on a plain bind works"));
        assertTrue(f.get("nodev_write").contains("Permission denied"), f.why("nodev bind refuses device nodes"));

        assertTrue(at(f, "/b-ro").hasOption("ro"), f.why("/b-ro is ro in mountinfo"));
        assertTrue(at(f, "/b-rw").hasOption("rw"), f.why("/b-rw is rw in mountinfo"));
        assertTrue(at(f, "/b-nosuid").hasOption("nosuid"), f.why("/b-nosuid is nosuid in mountinfo"));
        assertTrue(at(f, "/b-nodev").hasOption("nodev"), f.why("/b-nodev is nodev in mountinfo"));
        assertTrue(at(f, "/b-noexec").hasOption("noexec"), f.why("/b-noexec is noexec in mountinfo"));
        assertFalse(at(f, "/b-rw").hasOption("noexec") || at(f, "/b-rw").hasOption("nosuid"),
                f.why("options of one mount do not leak onto another"));
        assertEquals(src.toString(), at(f, "/b-rw").root(), f.why("the bind's root is the source directory"));
    }

    @Test
    void bindLeavesSubmountsOutRbindTakesThem() throws Exception {
        Path src = sb.mkdir("subsrc");
        Files.createDirectories(src.resolve("sub"));
        hostTmpfs(src.resolve("sub"));
        Files.writeString(src.resolve("sub/marker"), "in-submount\n");

        Bundle b = sb.bundle("rbind")
                .mount("/plain", "bind", src.toString(), "bind")
                .mount("/recursive", "bind", src.toString(), "rbind")
                .sh("echo plain=$(ls /plain/sub | wc -l); echo recursive=$(cat /recursive/sub/marker)");
        Facts f = facts(b);
        assertEquals("0", f.get("plain"), f.why("bind does not carry the submount"));
        assertEquals("in-submount", f.get("recursive"), f.why("rbind carries the submount"));
    }

    /** rro (recursive read-only, mount_setattr since Linux 5.12) where the runtime lists it in features. */
    @Test
    void rroMakesSubmountsReadOnlyToo() throws Exception {
        assumeTrue(RuntimeUnderTest.supportsMountOption("rro"), "the runtime's features do not list rro");
        Path src = sb.mkdir("rrosrc");
        Files.createDirectories(src.resolve("sub"));
        hostTmpfs(src.resolve("sub"));

        Bundle b = sb.bundle("rro")
                .mount("/rro", "bind", src.toString(), "rbind", "rro")
                .sh("""
                        touch /rro/top 2>/tmp/e4 && echo top=ok || echo top=failed:$(cat /tmp/e4)
                        touch /rro/sub/inner 2>/tmp/e5 && echo sub=ok || echo sub=failed:$(cat /tmp/e5)
                        """ + MOUNTINFO);
        Facts f = facts(b);
        assertTrue(f.get("top").contains("Read-only file system"), f.why("rro: the top mount is read-only"));
        assertTrue(f.get("sub").contains("Read-only file system"), f.why("rro: the submount is read-only too"));
        assertTrue(at(f, "/rro/sub").hasOption("ro"), f.why("/rro/sub is ro in mountinfo"));
        assertFalse(Files.exists(src.resolve("sub/inner")), "nothing written");
    }

    @Test
    void propagationOfBindMounts() throws Exception {
        Path src = sb.mkdir("propsrc");
        Files.createDirectories(src.resolve("sub"));
        Host.sh("mount --bind '" + src + "' '" + src + "' && mount --make-shared '" + src + "'");
        sb.onClose("umount " + src, () -> Host.trySh("umount -R -l '" + src + "'"));

        Bundle b = sb.bundle("prop")
                .mount("/shared", "bind", src.toString(), "rbind", "rshared")
                .mount("/slave", "bind", src.toString(), "rbind", "rslave")
                .mount("/private", "bind", src.toString(), "rbind", "rprivate")
                .sh("""
                        echo ready > /tmp/ready
                        i=0; while [ ! -e /slave/sub/marker ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
                        for d in shared slave private; do
                          if [ -e /$d/sub/marker ]; then echo seen_$d=yes; else echo seen_$d=no; fi
                        done
                        """ + MOUNTINFO);
        var run = cli.exec(cli.withBundle("run", b)).start();
        sb.killAtClose(run.pid());
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/ready"))), "container started");
        Host.sh("mount -t tmpfs tmpfs '" + src.resolve("sub") + "' && echo m > '" + src.resolve("sub/marker") + "'");
        Facts f = Facts.of(run.await());

        assertEquals("yes", f.get("seen_shared"), f.why("a host mount propagates into an rshared bind"));
        assertEquals("yes", f.get("seen_slave"), f.why("a host mount propagates into an rslave bind"));
        assertEquals("no", f.get("seen_private"), f.why("a host mount does not propagate into an rprivate bind"));
        assertTrue(at(f, "/shared").optional().contains("shared:"), f.why("/shared is in a peer group"));
        assertTrue(at(f, "/slave").optional().contains("master:"), f.why("/slave has a master"));
        assertFalse(at(f, "/slave").optional().contains("shared:"), f.why("/slave is not shared"));
        String priv = at(f, "/private").optional();
        assertFalse(priv.contains("shared:") || priv.contains("master:"), f.why("/private has no propagation"));
    }

    @Test
    void unbindableBind() {
        Path src = sb.mkdir("unbsrc");
        Bundle b = sb.bundle("unb").mount("/unb", "bind", src.toString(), "bind", "unbindable").sh(MOUNTINFO);
        Facts f = facts(b);
        assertTrue(at(f, "/unb").optional().contains("unbindable"), f.why("/unb is unbindable"));
    }

    @Test
    void tmpfsWithSizeModeAndOwner() {
        Bundle b = sb.bundle("tmpfs")
                .mount("/scratch", "tmpfs", "tmpfs", "nosuid", "nodev", "noexec", "size=1m", "mode=0710", "uid=1000", "gid=1001")
                .sh("echo stat=$(stat -c '%a %u %g' /scratch); " + MOUNTINFO);
        Facts f = facts(b);
        assertEquals("710 1000 1001", f.get("stat"), f.why("tmpfs mode=0710,uid=1000,gid=1001"));
        MountInfo m = at(f, "/scratch");
        assertEquals("tmpfs", m.fsType(), f.why("type"));
        assertTrue(List.of(m.superOptions().split(",")).contains("size=1024k"), f.why("size=1m shows as size=1024k"));
        assertTrue(m.hasOption("nosuid") && m.hasOption("nodev") && m.hasOption("noexec"), f.why("flags nosuid,nodev,noexec"));
    }

    @Test
    void specialFileSystemsOfTheDefaultSpec() {
        Bundle b = sb.bundle("special").sh("""
                if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
                  echo cgroup_layout=v2; echo cgroup_procs=$(cat /sys/fs/cgroup/cgroup.procs | tr '\\n' ' ')
                else
                  echo cgroup_layout=v1; echo cgroup_dirs=$(ls /sys/fs/cgroup | tr '\\n' ' ')
                  echo cgroup_procs=$(cat /sys/fs/cgroup/pids/cgroup.procs | tr '\\n' ' ')
                fi
                echo proc_self=$(readlink /proc/self)
                """ + MOUNTINFO);
        b.withoutMount("/sys/fs/cgroup").mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        Facts f = facts(b);
        assertEquals("proc", at(f, "/proc").fsType(), f.why("/proc is procfs"));
        assertTrue(f.get("proc_self").matches("\\d+"), f.why("/proc/self resolves in the container's PID namespace"));
        assertEquals("tmpfs", at(f, "/dev").fsType(), f.why("/dev is tmpfs"));
        assertEquals("devpts", at(f, "/dev/pts").fsType(), f.why("/dev/pts is devpts"));
        assertTrue(List.of(at(f, "/dev/pts").superOptions().split(",")).contains("ptmxmode=666"),
                f.why("devpts has ptmxmode=666 from the spec"));
        assertEquals("tmpfs", at(f, "/dev/shm").fsType(), f.why("/dev/shm is tmpfs"));
        assertEquals("mqueue", at(f, "/dev/mqueue").fsType(), f.why("/dev/mqueue is mqueue"));
        assertEquals("sysfs", at(f, "/sys").fsType(), f.why("/sys is sysfs"));
        assertTrue(at(f, "/sys").hasOption("ro"), f.why("/sys is ro as the spec asks"));
        if (f.get("cgroup_layout").equals("v1")) {
            Set<String> dirs = new TreeSet<>(List.of(f.get("cgroup_dirs").trim().split(" ")));
            for (String c : List.of("cpu", "memory", "pids", "devices", "freezer")) {
                assertTrue(dirs.contains(c) || dirs.stream().anyMatch(d -> d.contains(c)),
                        f.why("/sys/fs/cgroup shows the " + c + " hierarchy: " + dirs));
            }
            assertTrue(mountinfo(f).stream().anyMatch(m -> m.mountPoint().startsWith("/sys/fs/cgroup/")
                    && m.fsType().equals("cgroup")), f.why("cgroup hierarchies are mounted under /sys/fs/cgroup"));
        } else {
            assertEquals("cgroup2", at(f, "/sys/fs/cgroup").fsType(), f.why("/sys/fs/cgroup is cgroup2"));
        }
        assertTrue(List.of(f.get("cgroup_procs").trim().split(" ")).contains("1"),
                f.why("the container's own cgroup is the one visible: its cgroup.procs lists PID 1"));
    }

    @Test
    void bindOfASingleFileCreatesItsDestination() throws Exception {
        Path file = sb.dir().resolve("single.conf");
        Files.writeString(file, "single-file\n");
        Bundle b = sb.bundle("file")
                .mount("/etc/app/single.conf", "bind", file.toString(), "bind", "ro")
                .sh("""
                        echo content=$(cat /etc/app/single.conf)
                        echo kind=$(stat -c %F /etc/app/single.conf)
                        (echo x >> /etc/app/single.conf) 2>/tmp/e6 && echo write=ok || echo write=failed:$(cat /tmp/e6)
                        """);
        Facts f = facts(b);
        assertEquals("single-file", f.get("content"), f.why("the file's content"));
        assertEquals("regular file", f.get("kind"), f.why("the destination is a file, not a directory"));
        assertTrue(f.get("write").contains("Read-only file system"), f.why("ro file bind"));
        assertEquals("single-file\n", Files.readString(file));
    }

    @Test
    void mountsAreAppliedInOrder() {
        Path src = sb.mkdir("ordersrc");
        Bundle b = sb.bundle("order")
                .mount("/stack", "tmpfs", "tmpfs", "mode=755")
                .mount("/stack/inner", "bind", src.toString(), "bind")
                .sh("echo inner=$(stat -c %F /stack/inner); " + MOUNTINFO);
        Facts f = facts(b);
        assertEquals("directory", f.get("inner"), f.why("the bind inside the tmpfs exists"));
        List<MountInfo> all = mountinfo(f);
        int outer = -1;
        int inner = -1;
        for (int k = 0; k < all.size(); k++) {
            if (all.get(k).mountPoint().equals("/stack")) outer = k;
            if (all.get(k).mountPoint().equals("/stack/inner")) inner = k;
        }
        assertTrue(outer >= 0 && inner > outer, f.why("/stack/inner is mounted on top of /stack, after it"));
    }

    /**
     * A destination that is (or goes through) a symlink in the rootfs pointing to an absolute
     * host path is resolved inside the rootfs: the mount lands in the rootfs, the host path is
     * never created nor mounted over.
     */
    @Test
    void symlinkDestinationsStayInsideTheRootfs() throws Exception {
        Path outside = sb.mkdir("outside-existing");
        Files.writeString(outside.resolve("host-secret"), "do not touch\n");
        Path outsideMissing = sb.dir().resolve("outside-missing");
        Path outsideRelative = sb.dir().resolve("outside-relative");
        Path src = sb.mkdir("evilsrc");
        Files.writeString(src.resolve("bound-marker"), "bound\n");

        Bundle b = sb.bundle("evil");
        Files.createSymbolicLink(b.file("evil"), outside);
        Files.createSymbolicLink(b.file("evil2"), outsideMissing);
        String up = "../".repeat(12);
        Files.createSymbolicLink(b.file("evil3"), Path.of(up + outsideRelative.toString().substring(1)));
        b.mount("/evil", "bind", src.toString(), "bind")
                .mount("/evil2/sub", "tmpfs", "tmpfs", "mode=755")
                .mount("/evil3/sub", "tmpfs", "tmpfs", "mode=755")
                .sh("echo bound=$(cat /evil/bound-marker); echo secret=$(cat /evil/host-secret 2>/dev/null || echo none); "
                        + MOUNTINFO);
        Facts f = facts(b);

        assertEquals("bound", f.get("bound"), f.why("the bind landed where /evil points inside the container"));
        assertEquals("none", f.get("secret"), f.why("the host directory the symlink names is not what the container sees"));
        assertEquals("tmpfs", at(f, outsideMissing + "/sub").fsType(), f.why("the tmpfs is at " + outsideMissing
                + "/sub inside the rootfs"));
        assertEquals("tmpfs", at(f, outsideRelative + "/sub").fsType(), f.why("a relative symlink climbing out "
                + "stops at the container's /"));

        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(Set.of("host-secret"), s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
                    "the host directory behind /evil is unchanged");
        }
        assertFalse(Files.exists(outsideMissing), "the host path behind /evil2 was not created");
        assertFalse(Files.exists(outsideRelative), "the host path behind /evil3 was not created");
        assertTrue(Files.isDirectory(b.file(outsideMissing + "/sub")), "the directory was created inside the rootfs");
        assertEquals(List.of(), Host.mountsMentioning(outside), "nothing is mounted on the host path");
    }

    /** A tmpfs on a host directory for this test, unmounted at the end. */
    private void hostTmpfs(Path dir) {
        Host.sh("mount -t tmpfs tmpfs '" + dir + "'");
        sb.onClose("umount " + dir, () -> Host.trySh("umount -l '" + dir + "'"));
    }
}
