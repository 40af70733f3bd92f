package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Host;
import dev.berth.it.support.Json;
import dev.berth.it.support.NetHost;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import dev.berth.it.support.Unprivileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berth netns} for an unprivileged user: a holder process keeps a user and a network
 * namespace; slirp4netns or pasta connect it and forward a port of 127.0.0.1; a rootless
 * container made by {@code spec --rootless --netns} serves HTTP through it; delete leaves no
 * process. /dev/net/tun is opened to users for the test when the host has it 0600, and restored.
 */
class NetnsRootlessIT extends ContainerTestBase {
    private Path runtimeDir;

    @BeforeEach
    void user() {
        assumeTrue(RuntimeUnderTest.isBerth(), "netns is a berth command; runc has none");
        assumeTrue(Unprivileged.ensure(), "needs root to create the unprivileged test user");
        runtimeDir = sb.mkdir("xdg");
        Unprivileged.own(runtimeDir, cli.root(), cli.log());
        String mode = NetHost.openTunForUsers();
        sb.onClose("restore the mode of /dev/net/tun", () -> NetHost.restoreTun(mode));
    }

    private Result asUser(String... args) {
        return Exec.of(Unprivileged.as(runtimeDir, cli.argv(args))).scratch(sb.mkdir("io-user")).run();
    }

    private Map<String, Object> record(String ns) throws Exception {
        return Json.parseObject(Files.readString(runtimeDir.resolve("berth-netns").resolve(ns).resolve("netns.json")));
    }

    private static long num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    @Test
    void slirp4netnsForwardsAPortToARootlessContainer() throws Exception {
        assumeTrue(Host.trySh("command -v slirp4netns").exit() == 0, "needs slirp4netns (make test installs it)");
        servesThrough("--slirp4netns", "slirp");
    }

    @Test
    void pastaForwardsAPortToARootlessContainer() throws Exception {
        assumeTrue(Host.trySh("command -v pasta").exit() == 0, "needs pasta (Debian package passt; make test installs it)");
        servesThrough("--pasta", "pasta");
    }

    private void servesThrough(String connector, String name) throws Exception {
        String ns = sb.id(name);
        int port = NetHost.freePort();
        List<Long> pids = new ArrayList<>();
        sb.onClose("delete netns " + ns, () -> {
            asUser("netns", "delete", ns);
            for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        });
        asUser("netns", "add", connector, "-p", port + ":8080", "--dns", "10.0.2.3", ns).assertOk();
        Map<String, Object> rec = record(ns);
        long holder = num(rec, "holderPid");
        long helper = num(rec, "connectorPid");
        pids.add(helper);
        pids.add(holder);
        assertTrue(Host.alive(holder) && Host.alive(helper), "the holder and " + connector + " run: " + rec);
        assertEquals(String.valueOf(Unprivileged.uid()), Host.sh("stat -c %u /proc/" + holder).stdout().strip(),
                "the holder is the user's process");

        Result in = asUser("netns", "exec", ns, "--", "sh", "-c", "cat /proc/self/uid_map; readlink /proc/self/ns/net");
        List<String> lines = in.assertOk().stdout().lines().toList();
        assertEquals("0 " + Unprivileged.uid() + " 1", lines.get(0).strip().replaceAll("\\s+", " "),
                "netns exec runs in the holder's user namespace, the user mapped to root\n" + in.describe());
        assertEquals("1 " + Unprivileged.subStart() + " 65536", lines.get(1).strip().replaceAll("\\s+", " "),
                "and the user's /etc/subuid range after it (newuidmap)\n" + in.describe());
        assertEquals(Host.nsLink(holder, "net"), lines.get(2), "and in its network namespace");

        Path d = sb.mkdir("spec-" + name);
        Unprivileged.own(d);
        asUser("spec", "--rootless", "--netns", ns, "--bundle", d.toString()).assertOk();
        Map<String, Object> spec = Json.parseObject(Files.readString(d.resolve("config.json")));
        Bundle b = sb.bundle("web-" + name);
        b.config().clear();
        b.config().putAll(spec);
        b.process().put("terminal", false);
        b.obj("root").put("readonly", false);
        b.obj("root").put("path", "rootfs");
        // httpd runs as uid 1000, an id only the holder's subordinate range maps.
        b.writeFile("www/index.html", "served-through-" + name + "\n");
        b.process().put("user", Map.of("uid", 1000L, "gid", 1000L));
        b.sh("grep -q 'nameserver 10.0.2.3' /etc/resolv.conf && exec httpd -f -p 8080 -h /www");
        String[] create = cli.withBundle("create", b);
        Unprivileged.own(b.dir());
        sb.track(b.id());
        asUser(create).assertOk();
        asUser("start", b.id()).assertOk();
        long init = num(Json.parseObject(asUser("state", b.id()).assertOk().stdout()), "pid");
        assertEquals(Host.nsLink(holder, "net"), Host.nsLink(init, "net"), "the container joined the network namespace");
        assertEquals(Host.nsLink(holder, "user"), Host.nsLink(init, "user"), "together with its user namespace");
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Host.trySh("stat -c %u /proc/" + init).stdout().strip()
                .equals(String.valueOf(Unprivileged.subStart() + 999))), "httpd runs as container uid 1000, host uid "
                + (Unprivileged.subStart() + 999));
        assertEquals("served-through-" + name + "\n", NetHost.get(port, Duration.ofSeconds(15)),
                "the host reaches the container's httpd through " + connector + " on 127.0.0.1:" + port);
        Result exec = asUser("exec", b.id(), "sh", "-c", "readlink /proc/self/ns/net; readlink /proc/self/ns/user");
        assertEquals(List.of(Host.nsLink(holder, "net"), Host.nsLink(holder, "user")),
                exec.assertOk().stdout().lines().toList(), "exec joins the joined network and user namespaces too");

        asUser("delete", "--force", b.id()).assertOk();
        asUser("netns", "delete", ns).assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(5), () -> !Host.alive(holder) && !Host.alive(helper)),
                "delete leaves neither the holder nor " + connector);
        assertFalse(Files.exists(runtimeDir.resolve("berth-netns").resolve(ns)), "nor berth's record");
        assertEquals("", asUser("netns", "list", "-q").assertOk().stdout().strip(), "nor a listed namespace");
        NetHost.freePortCheck(port);
    }

    @Test
    void cniIsRefusedToAnUnprivilegedUserWithNothingLeft() {
        String ns = sb.id("cni");
        Result r = asUser("netns", "add", "--cni", "berth0", ns);
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.allText().contains("CNI plugins need root"), r.describe());
        assertFalse(Files.exists(runtimeDir.resolve("berth-netns").resolve(ns)), "nothing left behind");
    }
}
