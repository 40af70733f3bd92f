package dev.berth.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.berth.spec.DefaultSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetnsSpecTest {
    private static NetnsRecord root(String name) {
        return new NetnsRecord(name, "/run/netns/" + name, null, 0, 0, null, null, 0, 0, List.of(), List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> namespaces(Map<String, Object> spec) {
        return (List<Object>) ((Map<String, Object>) spec.get("linux")).get("namespaces");
    }

    @Test
    void rootJoinsTheNamedNamespaceAndBindsItsResolvConf() {
        Map<String, Object> spec = DefaultSpec.json(false, 0, 0, false);
        NetnsSpec.apply(spec, root("web"), Path.of("/run/berth-netns/web/resolv.conf"));
        assertEquals(Map.of("type", "network", "path", "/run/netns/web"), namespaces(spec).get(1));
        @SuppressWarnings("unchecked")
        List<Object> mounts = (List<Object>) spec.get("mounts");
        assertEquals(Map.of("destination", "/etc/resolv.conf", "type", "bind", "source",
                "/run/berth-netns/web/resolv.conf", "options", List.of("rbind", "ro", "nosuid", "nodev", "noexec")),
                mounts.get(mounts.size() - 1));
    }

    @Test
    void rootlessJoinsTheHoldersUserNamespaceTooAndDropsItsOwnMaps() {
        Map<String, Object> spec = DefaultSpec.json(true, 1000, 1000, false);
        NetnsRecord r = root("web").withHolder(4242, 77);
        int mounts = ((List<?>) spec.get("mounts")).size();
        NetnsSpec.apply(spec, r, null);
        List<Object> ns = new ArrayList<>(namespaces(spec));
        assertEquals(Map.of("type", "user", "path", "/proc/4242/ns/user"), ns.get(ns.size() - 2));
        assertEquals(Map.of("type", "network", "path", "/proc/4242/ns/net"), ns.get(ns.size() - 1));
        @SuppressWarnings("unchecked")
        Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
        assertFalse(linux.containsKey("uidMappings"));
        assertFalse(linux.containsKey("gidMappings"));
        assertEquals(mounts, ((List<?>) spec.get("mounts")).size(), "no resolv.conf without --dns");
    }

    @Test
    void aRootConfigJoiningAHolderGetsItsUserNamespaceToo() {
        Map<String, Object> spec = DefaultSpec.json(false, 0, 0, false);
        NetnsSpec.apply(spec, root("web").withHolder(4242, 77), null);
        assertEquals(Map.of("type", "network", "path", "/proc/4242/ns/net"), namespaces(spec).get(1));
        assertEquals(Map.of("type", "user", "path", "/proc/4242/ns/user"), namespaces(spec).get(namespaces(spec).size() - 1));
    }

    @Test
    void pastaGetsOneOptionPerForwardAndNoneOtherwise() {
        List<String> argv = new ArrayList<>();
        List<PortMapping> ports = List.of(PortMapping.parse("8080:80"), PortMapping.parse("0.0.0.0:8443:443"));
        Pasta.forwards(argv, ports, "tcp", "-t");
        Pasta.forwards(argv, ports, "udp", "-u");
        assertEquals(List.of("-t", "127.0.0.1/8080:80", "-t", "0.0.0.0/8443:443", "-u", "none"), argv);
    }
}
