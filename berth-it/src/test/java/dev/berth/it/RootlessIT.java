package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import dev.berth.it.support.Json;
import dev.berth.it.support.Result;
import dev.berth.it.support.RootlessBundle;
import dev.berth.it.support.RuntimeUnderTest;
import dev.berth.it.support.Unprivileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containers of an unprivileged user (created by the test as root, with an /etc/subuid range),
 * run through {@code runuser}: maps beyond the user's own id through newuidmap, files owned by
 * the mapped host ids, the lifecycle, and the refusal of a range /etc/subuid does not grant.
 */
class RootlessIT extends ContainerTestBase {
    private Path runtimeDir;

    @BeforeEach
    void user() throws Exception {
        assumeTrue(Unprivileged.ensure(), "needs root to create the unprivileged test user");
        assumeTrue(Host.trySh("command -v newuidmap && command -v newgidmap").exit() == 0,
                "newuidmap/newgidmap missing (Debian package uidmap; make test installs it)");
        runtimeDir = sb.mkdir("xdg");
        Unprivileged.own(runtimeDir, cli.root(), cli.log());
    }

    /** A bundle from the runtime's own {@code spec --rootless}, mapping container 0 to the user. */
    private Bundle rootless(String name, String script) {
        return RootlessBundle.of(sb, name, script);
    }

    private static Map<String, Object> map(long container, long host, long size) {
        return RootlessBundle.map(container, host, size);
    }

    private Result asUser(String... args) {
        List<String> argv = new ArrayList<>(cli.argv(args));
        return Exec.of(Unprivileged.as(runtimeDir, argv)).scratch(sb.mkdir("io-user")).run();
    }

    private Result runAsUser(Bundle b) {
        String[] args = cli.withBundle("run", b);
        Unprivileged.own(b.dir());
        sb.track(b.id());
        return asUser(args);
    }

    @Test
    void aMultiRangeMapAndFilesOwnedByTheMappedHostIds() throws Exception {
        Bundle b = rootless("multirange", """
                echo uidmap=$(cat /proc/self/uid_map | tr -s ' ' | tr '\\n' ';')
                echo gidmap=$(cat /proc/self/gid_map | tr -s ' ' | tr '\\n' ';')
                echo id=$(id -u):$(id -g)
                touch /tmp/by-root /tmp/by-1000 && chown 1000:1000 /tmp/by-1000
                """);
        Facts f = Facts.of(runAsUser(b));
        long sub = Unprivileged.subStart();
        String expected = " 0 " + Unprivileged.uid() + " 1; 1 " + sub + " 65536;";
        assertEquals(expected, " " + f.get("uidmap").strip(), f.why("the uid_map of both ranges"));
        assertEquals(" 0 " + Unprivileged.gid() + " 1; 1 " + sub + " 65536;", " " + f.get("gidmap").strip(),
                f.why("the gid_map of both ranges"));
        assertEquals("0:0", f.get("id"), f.why("root inside"));
        assertEquals(Unprivileged.uid(), (long) (Integer) Files.getAttribute(b.file("tmp/by-root"), "unix:uid"),
                "a file of the container's root belongs to the user on the host");
        assertEquals(sub + 999, (long) (Integer) Files.getAttribute(b.file("tmp/by-1000"), "unix:uid"),
                "a file of container uid 1000 belongs to host uid subStart+999");
        assertEquals(sub + 999, (long) (Integer) Files.getAttribute(b.file("tmp/by-1000"), "unix:gid"),
                "and its group to host gid subStart+999");
    }

    /**
     * The kernel lets only the owner of the file system's user namespace (the host's, for a host
     * directory) idmap a mount, with the container's maps or with the mount's own alike; a runtime
     * that supports idmapped mounts must refuse them to an unprivileged user before starting.
     */
    @Test
    void aMountWithItsOwnMappingsIsRefused() throws Exception {
        assumeTrue(RuntimeUnderTest.supportsIdmappedMounts(),
                "the runtime's features do not list idmapped mounts: it would ignore the mount's mappings");
        Path data = sb.mkdir("rootless-data");
        Bundle b = rootless("ownmaps", "true").mount("/data", "bind", data.toString(), "bind", "idmap");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Bundle.list(b.config(), "mounts")
                .get(Bundle.list(b.config(), "mounts").size() - 1);
        long sub = Unprivileged.subStart();
        m.put("uidMappings", List.of(map(0, sub, 1000)));
        m.put("gidMappings", List.of(map(0, sub, 1000)));
        Result r = runAsUser(b);
        assertEquals(1, r.exit(), "refused\n" + r.describe());
        if (RuntimeUnderTest.isBerth()) {
            assertTrue(r.allText().contains("idmapped mounts need root") && r.allText().contains("uidMappings"),
                    "the error says why and names the mount's own mappings\n" + r.describe());
        }
        assertEquals("", asUser("list", "-q").stdout().strip(), "nothing left behind");
    }

    @Test
    void createStartStateKillDeleteAsTheUser() throws Exception {
        Bundle b = rootless("lifecycle", "exec sleep 1000");
        String[] create = cli.withBundle("create", b);
        Unprivileged.own(b.dir());
        sb.track(b.id());
        asUser(create).assertOk();
        Result state = asUser("state", b.id()).assertOk();
        assertEquals("created", Json.parseObject(state.stdout()).get("status"), state.describe());
        asUser("start", b.id()).assertOk();
        Map<String, Object> running = Json.parseObject(asUser("state", b.id()).assertOk().stdout());
        assertEquals("running", running.get("status"));
        Result exec = asUser("exec", b.id(), "sh", "-c", "echo uid=$(id -u) map=$(head -1 /proc/self/uid_map | tr -s ' ')");
        assertEquals("uid=0 map= 0 " + Unprivileged.uid() + " 1", exec.assertOk().stdout().strip(),
                "exec as the user joins the container's user namespace");
        long pid = ((Number) running.get("pid")).longValue();
        assertEquals(String.valueOf(Unprivileged.uid()),
                Host.sh("stat -c %u /proc/" + pid).stdout().strip(), "the container's process belongs to the user");
        asUser("kill", b.id(), "KILL").assertOk();
        assertTrue(Host.waitFor(java.time.Duration.ofSeconds(10), () -> !Host.alive(pid)), "killed");
        asUser("delete", b.id()).assertOk();
        assertEquals("", asUser("list", "-q").assertOk().stdout().strip(), "deleted");
    }

    @Test
    void aRangeNotGrantedInSubuidIsRefused() throws Exception {
        Bundle b = rootless("notgranted", "true");
        long outside = Unprivileged.subStart() + 1_000_000;
        b.linux().put("uidMappings", List.of(map(0, Unprivileged.uid(), 1), map(1, outside, 65536)));
        Result r = runAsUser(b);
        assertEquals(1, r.exit(), "refused\n" + r.describe());
        if (RuntimeUnderTest.isBerth()) {
            assertTrue(r.allText().contains("linux.uidMappings") && r.allText().contains("/etc/subuid grants "
                    + Unprivileged.subStart() + "-" + (Unprivileged.subStart() + 65535)),
                    "the error names the field and what /etc/subuid grants\n" + r.describe());
        }
        assertEquals("", asUser("list", "-q").stdout().strip(), "nothing left behind");
    }

    /**
     * Seed 000: a container in its own user namespace joins a network namespace made by
     * {@code ip netns add}, which the host's user namespace owns. runc 1.1 joins the user namespace
     * first and then fails (mounting sysfs, or the setns); berth joins the network namespace first.
     */
    @Test
    void ownUserNamespaceJoiningAHostNetworkNamespace() throws Exception {
        assumeTrue(Host.trySh("command -v ip").exit() == 0, "needs ip (iproute2)");
        String ns = sb.id("netns");
        Host.sh("ip netns add " + ns);
        sb.onClose("ip netns del " + ns, () -> Host.trySh("ip netns del " + ns));
        String inode = Host.sh("stat -L -c %i /run/netns/" + ns).stdout().strip();
        Bundle b = sb.bundle("seed000").namespace("user").namespace("network", "/run/netns/" + ns)
                .sh("echo net=$(readlink /proc/self/ns/net); echo uidmap=$(cat /proc/self/uid_map | tr -s ' '); "
                        + "exec sleep 1000");
        b.linux().put("uidMappings", List.of(map(0, 300000, 65536)));
        b.linux().put("gidMappings", List.of(map(0, 300000, 65536)));
        Result r = cli.exec(cli.withBundle("run", b, "-d")).run();
        if (RuntimeUnderTest.isBerth()) {
            r.assertOk();
            Result exec = cli.call("exec", b.id(), "sh", "-c",
                    "echo net=$(readlink /proc/self/ns/net); echo uidmap=$(cat /proc/self/uid_map | tr -s ' ')");
            Facts f = Facts.of(exec);
            assertEquals("net:[" + inode + "]", f.get("net"), f.why("exec joins the container's network namespace"));
            assertEquals("0 300000 65536", f.get("uidmap").strip(), f.why("and its own user namespace"));
            cli.call("delete", "--force", b.id()).assertOk();
        } else {
            assertNotEquals(0, r.exit(), "runc 1.1 fails the seed-000 case; if it passes now, make this test "
                    + "expect success for every runtime\n" + r.describe());
        }
    }

    /** As root, with a user namespace: a 0700 directory above the bundle blocks the container's root. */
    @Test
    void anUnreachableRootfsNamesTheDirectoryThatBlocksIt() throws Exception {
        Path locked = sb.mkdir("locked");
        Bundle b = sb.bundleIn(locked, "unreachable");
        b.namespace("user").sh("true");
        b.linux().put("uidMappings", List.of(map(0, 300000, 65536)));
        b.linux().put("gidMappings", List.of(map(0, 300000, 65536)));
        Host.sh("chmod 0700 '" + locked + "'");
        Result r = cli.run(b);
        assertEquals(1, r.exit(), "refused\n" + r.describe());
        if (RuntimeUnderTest.isBerth()) {
            assertTrue(r.allText().contains("root.path") && r.allText().contains(locked + " (owner 0, mode 0700)"),
                    "the error names the directory that blocks the container's root\n" + r.describe());
        }
        assertEquals(List.of(), cli.listIds(), "nothing left behind");
    }
}
