package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import dev.berth.it.support.Json;
import dev.berth.it.support.NetHost;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berth netns} as root: namespaces shared with {@code ip netns} both ways, exec with the
 * command's exit status, a container joining one through {@code spec --netns} with the
 * namespace's resolv.conf, and bad input refused with nothing left behind.
 */
class NetnsIT extends ContainerTestBase {
    @BeforeEach
    void berthOnly() {
        assumeTrue(RuntimeUnderTest.isBerth(), "netns is a berth command; runc has none");
        assumeTrue(Host.trySh("command -v ip").exit() == 0, "needs ip (iproute2; make test installs it)");
    }

    private String netns(String name) {
        String ns = sb.id(name);
        sb.onClose("delete netns " + ns, () -> {
            cli.call("netns", "delete", ns);
            Host.trySh("ip netns del " + ns + " 2>/dev/null");
        });
        return ns;
    }

    private static void assertGone(String ns) {
        assertFalse(Files.exists(Path.of("/run/netns", ns)), "/run/netns/" + ns + " is gone");
        assertFalse(Files.exists(Path.of("/run/berth-netns", ns)), "berth's record of " + ns + " is gone");
    }

    @Test
    void addListExecDeleteSharedWithIpNetns() {
        String ns = netns("shared");
        cli.call("netns", "add", ns).assertOk();
        assertTrue(Host.sh("ip netns list").stdout().contains(ns), "ip netns list shows berth's namespace");
        String inode = Host.sh("stat -L -c %i /run/netns/" + ns).stdout().strip();
        assertEquals("0", Host.sh("ip netns exec " + ns + " true; echo $?").stdout().strip(), "ip netns exec enters it");

        Result r = cli.call("netns", "exec", ns, "--", "sh", "-c", "readlink /proc/self/ns/net; exit 7");
        assertEquals(7, r.exit(), "netns exec returns the command's exit status\n" + r.describe());
        assertEquals("net:[" + inode + "]", r.stdout().strip(), "the command ran in the namespace");
        assertTrue(cli.call("netns", "list", "-q").assertOk().stdout().lines().anyMatch(ns::equals), "listed");

        cli.call("netns", "delete", ns).assertOk();
        assertGone(ns);
        assertFalse(Host.sh("ip netns list").stdout().contains(ns), "ip netns list no longer shows it");

        String byIp = netns("byip");
        Host.sh("ip netns add " + byIp);
        String table = cli.call("netns", "list").assertOk().stdout();
        assertTrue(table.lines().anyMatch(l -> l.startsWith(byIp + " ") && l.contains("(ip netns)")),
                "a namespace ip netns made is listed as such\n" + table);
        Result inIp = cli.call("netns", "exec", byIp, "--", "readlink", "/proc/self/ns/net");
        assertEquals("net:[" + Host.sh("stat -L -c %i /run/netns/" + byIp).stdout().strip() + "]",
                inIp.assertOk().stdout().strip(), "berth netns exec enters one ip netns made");
        cli.call("netns", "delete", byIp).assertOk();
        assertGone(byIp);
    }

    @Test
    void aContainerJoinsThroughSpecNetnsWithItsResolvConf() throws Exception {
        String ns = netns("spec");
        cli.call("netns", "add", "--dns", "192.0.2.53", "--dns", "2001:db8::53", ns).assertOk();
        Path d = sb.mkdir("spec");
        Exec.of(cli.argv("spec", "--netns", ns, "--bundle", d.toString())).scratch(d).run().assertOk();
        Map<String, Object> spec = Json.parseObject(Files.readString(d.resolve("config.json")));
        Bundle b = sb.bundle("joiner");
        b.config().put("linux", spec.get("linux"));
        b.config().put("mounts", spec.get("mounts"));
        b.linux().put("cgroupsPath", b.cgroupsPath());
        b.sh("echo net=$(readlink /proc/self/ns/net); echo dns=$(grep nameserver /etc/resolv.conf | tr '\\n' ' ')");
        Facts f = facts(b);
        assertEquals("net:[" + Host.sh("stat -L -c %i /run/netns/" + ns).stdout().strip() + "]", f.get("net"),
                f.why("the container is in the named namespace"));
        assertEquals("nameserver 192.0.2.53 nameserver 2001:db8::53", f.get("dns").strip(),
                f.why("and reads the resolv.conf --dns wrote"));
        cli.call("netns", "delete", ns).assertOk();
        assertGone(ns);
    }

    /** slirp4netns and pasta are not only for unprivileged users: root's namespaces use them too. */
    @Test
    void rootConnectsWithSlirp4netnsAndPastaToo() throws Exception {
        for (String connector : List.of("slirp4netns", "pasta")) {
            if (Host.trySh("command -v " + connector).exit() != 0) continue;
            String ns = netns(connector);
            int port = NetHost.freePort();
            cli.call("netns", "add", "--" + connector, "-p", port + ":8080", ns).assertOk();
            Bundle web = sb.bundle("web-" + connector).namespace("network", "/run/netns/" + ns)
                    .sh("mkdir -p /www && echo root-" + connector + " > /www/index.html && exec httpd -f -p 8080 -h /www");
            cli.create(web);
            cli.call("start", web.id()).assertOk();
            assertEquals("root-" + connector + "\n", NetHost.get(port, java.time.Duration.ofSeconds(15)),
                    "the host reaches the container through " + connector);
            cli.call("delete", "--force", web.id()).assertOk();
            cli.call("netns", "delete", ns).assertOk();
            assertGone(ns);
            // The shell running pgrep has the name in its own command line: lines naming pgrep are not counted.
            String left = Host.trySh("pgrep -af -- '" + ns + "' | grep -v pgrep").stdout();
            assertTrue(left.isBlank(), connector + " is stopped: " + left);
        }
    }

    @Test
    void badInputIsRefusedWithNothingLeftBehind() throws Exception {
        String existing = netns("exists");
        Host.sh("ip netns add " + existing);
        refused(cli.call("netns", "add", existing), existing + " exists already");
        assertTrue(Files.exists(Path.of("/run/netns", existing)), "the existing namespace is untouched");

        refused(cli.call("netns", "add", "a/b"), "netns name \"a/b\"");
        refused(cli.call("netns", "delete", sb.id("never")), "does not exist");

        String ns = netns("bad");
        Path cni = sb.mkdir("cni");
        refused(cli.call("netns", "add", "--cni", "nosuchnet", "--cni-dir", cni.toString(), ns),
                "unknown CNI network");
        Files.writeString(cni.resolve("noplugin.conflist"),
                "{\"cniVersion\":\"1.0.0\",\"name\":\"noplugin\",\"plugins\":[{\"type\":\"bit-no-such-plugin\"}]}");
        refused(cli.call("netns", "add", "--cni", "noplugin", "--cni-dir", cni.toString(), ns),
                "CNI plugin \"bit-no-such-plugin\" is not installed");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            refused(cli.call("netns", "add", "--slirp4netns", "-p", port + ":80", ns),
                    "port " + port + "/tcp on 127.0.0.1 is in use");
        }
        refused(cli.call("netns", "add", "-p", "8080:80", ns), "-p needs a connector");
        refused(cli.call("netns", "add", "--slirp4netns", "-p", "8080:http", ns), "-p 8080:http");
        refused(cli.call("netns", "add", "--slirp4netns", "--pasta", ns), "exclude each other");
        refused(cli.call("netns", "add", "--dns", "not-an-ip", ns), "--dns not-an-ip");
        assertFalse(Files.exists(cni.resolve("nosuchnet.conflist")), "no configuration was made up");
    }

    private void refused(Result r, String says) {
        assertEquals(1, r.exit(), "refused\n" + r.describe());
        assertTrue(r.allText().contains(says), "the error says: " + says + "\n" + r.describe());
        for (String l : cli.call("netns", "list", "-q").assertOk().stdout().lines().toList()) {
            assertTrue(!sb.owns(l) || l.endsWith("-exists"), "nothing left behind, but " + l + " is listed");
        }
        for (String name : List.of("bad")) assertGone(sb.id(name));
    }
}
