package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Host;
import dev.berth.it.support.NetHost;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berth netns add --cni}: Debian's CNI plugins (bridge, host-local, portmap, firewall,
 * loopback) on a bridge and subnet unique to the test. Two containers reach each other across
 * the bridge, the host reaches one through a portmap port on 127.0.0.1, and delete leaves no
 * veth, no iptables rule and no address lease. Clean-up removes the bridge, leases and the CNI
 * rules and chains the test's plugins made, even when the test fails.
 */
class NetnsCniIT extends ContainerTestBase {
    private static final Path LEASES = Path.of("/var/lib/cni/networks");
    private String network;
    private String bridge;
    private String subnet;
    private Path cniDir;

    @BeforeEach
    void network() throws Exception {
        assumeTrue(RuntimeUnderTest.isBerth(), "netns is a berth command; runc has none");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "needs Debian's containernetworking-plugins (make test installs it)");
        assumeTrue(Host.trySh("command -v iptables-save && command -v ip").exit() == 0, "needs iptables and iproute2");
        network = sb.id("net");
        bridge = NetHost.bridgeName();
        subnet = NetHost.freeSubnetPrefix();
        cniDir = sb.mkdir("cni");
        Set<String> rulesBefore = NetHost.iptables();
        if (!Files.exists(LEASES.getParent())) {
            // host-local makes /var/lib/cni/networks; the test removes it again if it made it.
            sb.onClose("remove " + LEASES.getParent(), () -> Host.trySh("rmdir " + LEASES + " " + LEASES.getParent()));
        }
        String theBridge = bridge, theSubnet = subnet, theNetwork = network;
        sb.onClose("remove bridge, leases and CNI rules of " + network, () -> {
            Host.trySh("ip link del " + theBridge + " 2>/dev/null");
            Host.removeTree(LEASES.resolve(theNetwork));
            NetHost.undoIptables(rulesBefore, theSubnet + ".", theBridge);
        });
        Files.writeString(cniDir.resolve(network + ".conflist"), """
                {"cniVersion": "1.0.0", "name": "%s", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true, "hairpinMode": true,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s.0/24"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
                  {"type": "portmap", "capabilities": {"portMappings": true}},
                  {"type": "firewall"}]}
                """.formatted(network, bridge, subnet));
    }

    private String add(String name, String... flags) {
        String ns = sb.id(name);
        sb.onClose("delete netns " + ns, () -> cli.call("netns", "delete", ns));
        List<String> args = new java.util.ArrayList<>(List.of("netns", "add", "--cni", network, "--cni-dir",
                cniDir.toString()));
        args.addAll(List.of(flags));
        args.add(ns);
        cli.call(args.toArray(String[]::new)).assertOk();
        return ns;
    }

    /** The IPv4 address of eth0 in the namespace, read with ip, not from berth. */
    private static String address(String ns) {
        String out = Host.sh("ip -n " + ns + " -4 -o addr show dev eth0").stdout();
        int at = out.indexOf("inet ");
        assertTrue(at >= 0, "eth0 of " + ns + " has an IPv4 address: " + out);
        return out.substring(at + 5, out.indexOf('/', at));
    }

    @Test
    void twoContainersReachEachOtherAndTheHostReachesOneThroughAPortmap() throws Exception {
        int port = NetHost.freePort();
        String nsA = add("a", "-p", port + ":8080");
        String nsB = add("b");
        String ipA = address(nsA);
        String ipB = address(nsB);
        assertTrue(ipA.startsWith(subnet + ".") && ipB.startsWith(subnet + "."), "host-local gave addresses of the subnet");
        assertTrue(Host.sh("ip -o link show master " + bridge).stdout().lines().count() == 2,
                "two veths are on the bridge");

        Bundle server = sb.bundle("server").namespace("network", "/run/netns/" + nsA)
                .sh("mkdir -p /www && echo served-by-a > /www/index.html && exec httpd -f -p 8080 -h /www");
        cli.create(server);
        cli.call("start", server.id()).assertOk();

        Bundle client = sb.bundle("client").namespace("network", "/run/netns/" + nsB)
                .sh("for i in $(seq 50); do wget -q -O - http://" + ipA + ":8080/ && exit 0; sleep 0.1; done; exit 1");
        Result r = cli.run(client);
        assertEquals(0, r.exit(), "the client in " + nsB + " reached the server in " + nsA + "\n" + r.describe());
        assertEquals("served-by-a", r.stdout().strip(), r.describe());
        assertEquals("served-by-a\n", NetHost.get(port, Duration.ofSeconds(10)), "the host reaches it through the portmap");

        cli.call("delete", "--force", server.id()).assertOk();
        cli.call("netns", "delete", nsA, nsB).assertOk();
        assertEquals("", Host.sh("ip -o link show master " + bridge).stdout().strip(), "no veth is left on the bridge");
        for (String ip : List.of(ipA, ipB)) {
            assertEquals(List.of(), NetHost.rulesMentioning(ip + "/"), "no iptables rule mentions " + ip);
            assertEquals(List.of(), NetHost.rulesMentioning(ip + " "), "no iptables rule mentions " + ip);
            assertFalse(Files.exists(LEASES.resolve(network).resolve(ip)), "the lease of " + ip + " is released");
        }
        assertEquals(List.of(), NetHost.rulesMentioning("--dport " + port), "no rule for the host port is left");
        assertEquals(List.of(), NetHost.rulesMentioning("berth-netns-" + nsA), "no rule names the namespace");
        assertFalse(Files.exists(Path.of("/run/netns", nsA)), "the namespace is gone");
    }

    @Test
    void theDefaultNetworkIsWrittenOnFirstUse() throws Exception {
        assumeTrue(Host.trySh("ip link show berth0").exit() != 0, "a berth0 bridge exists already; not touching it");
        Path dir = sb.mkdir("default-cni");
        Set<String> rulesBefore = NetHost.iptables();
        sb.onClose("remove berth0 made by the test", () -> {
            Host.trySh("ip link del berth0 2>/dev/null");
            Host.removeTree(LEASES.resolve("berth0"));
            NetHost.undoIptables(rulesBefore, "10.87.", "berth0");
        });
        String ns = sb.id("dflt");
        sb.onClose("delete netns " + ns, () -> cli.call("netns", "delete", ns));
        cli.call("netns", "add", "--cni", "berth0", "--cni-dir", dir.toString(), ns).assertOk();
        String conf = Files.readString(dir.resolve("berth0.conflist"));
        assertTrue(conf.contains("\"bridge\": \"berth0\"") && conf.contains("\"portmap\"") && conf.contains("\"firewall\""),
                "berth0.conflist: a bridge with portmap and firewall\n" + conf);
        assertTrue(address(ns).startsWith("10.87."), "an address of the default network");
        cli.call("netns", "delete", ns).assertOk();
        assertEquals("", Host.sh("ip -o link show master berth0").stdout().strip(), "no veth is left");
    }
}
